// Language Self-Play (Kuba et al. 2025, Algorithm 1): one policy plays Challenger and Solver against a frozen reference.
// Each iteration: 1. Challenger writes N queries → 2. Solver answers each G times → 3. rewards R (+ quality R_Q for LSP)
// → 4. advantages (eq. in Algorithm 1) → 5. log-probs under πθ and π_Ref → 6. L = L_Sol + α_Ch·L_Ch, clip, step → 7. emit.
// With SamplingRounds > 1 (a named deviation, DAPO's dynamic sampling on the Solver's side), step 2 is followed by
// refill rounds: for each of the N groups whose G rewards are all equal (no Solver signal), the Challenger writes more
// queries, and groups whose rewards differ join the Solver's loss. The Challenger's update stays on the first N.
using System.Diagnostics;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.SelfPlay;

/// <summary>What steps 1–2 sample, and all steps 3–7 read: N queries (task slot, challenger prompt, completion, text) and G
/// answers to each, query-major; with the tokens generated; and, with SamplingRounds > 1, the refill groups and the first
/// round's rewards R (query-major, so Update need not score them again).</summary>
public sealed record SelfPlayBatch(string?[] Slots, Prompt[] ChallengerPrompts, int[][] QueryCompletions, string[] Queries,
    Rollout[] Answers, long GeneratedTokens, IReadOnlyList<SolverRefill>? Refills = null, double[]? Rewards = null);

/// <summary>A refill group: a query the Challenger wrote in a later sampling round (task slot, text) whose G answers'
/// rewards R differ; it trains the Solver only.</summary>
public sealed record SolverRefill(string? Slot, string Query, Rollout[] Answers, double[] Rewards);

public sealed class SelfPlayRecipe(SelfPlayOptions o, bool withQuality, IRlDomain domain, IPolicy policy,
    IPolicy reference, IRunLog log)
{
    readonly List<string?> tasks = [.. domain.Tasks(o.UseTaskSlot)];

    /// <param name="resumption">Where to save resumable state; when it continues a saved state, <c>policy</c> holds that state's model.</param>
    public void Train(EvaluationLoop evaluation, CancellationToken ct, Resumption? resumption = null) =>
        RlLoop.Train(policy, o, (p, step) => evaluation.Run(p, step), resumption, log, ct, Iteration);

    void Iteration(int step, optim.Optimizer optimizer)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        Update(step, Play(step), optimizer, clock);
    }

    /// <summary>Steps 1–2: the Challenger writes N queries (task slot round-robin), the Solver answers each G times; seeded
    /// by the step. With SamplingRounds > 1, refill rounds follow until as many groups with signal as the first round had
    /// flat ones are found (or the rounds run out).</summary>
    public SelfPlayBatch Play(int step)
    {
        int n = o.Queries;
        var slotIndex = SelfPlayAdvantages.TaskSlots(step, n, o.QueriesPerTask, tasks.Count);
        var slot = slotIndex.Select(t => tasks[t]).ToArray();
        var first = Round(slot, o.Seed * 1_000_003L + step * 2L);
        if (o.SamplingRounds == 1) return first;

        var rewards = domain.Reward.Score(first.Answers, policy);
        int wanted = n - SignalGroups(rewards, o.Answers).Count();
        var refills = new List<SolverRefill>(wanted);
        long tokens = first.GeneratedTokens;
        for (int round = 1; round < o.SamplingRounds && refills.Count < wanted; round++)
        {
            var more = Round(slot, o.Seed * 1_000_003L + step * 2L + round * 7_919_000_003L);
            tokens += more.GeneratedTokens;
            var moreRewards = domain.Reward.Score(more.Answers, policy);
            foreach (var i in SignalGroups(moreRewards, o.Answers).Take(wanted - refills.Count))
            {
                var group = (i * o.Answers)..((i + 1) * o.Answers);
                refills.Add(new SolverRefill(slot[i], more.Queries[i], more.Answers[group], moreRewards[group]));
            }
        }
        return first with { GeneratedTokens = tokens, Refills = refills, Rewards = rewards };
    }

    /// <summary>One round of steps 1–2 for the given task slots: N queries, G answers each.</summary>
    SelfPlayBatch Round(string?[] slot, long seed)
    {
        int g = o.Answers;
        // step 1: Challenger — N queries from the challenger prompt (task slot round-robin, QueriesPerTask queries a slot).
        var chPrompts = slot.Select(domain.ChallengerPrompt).ToArray();
        var ch = Rollouts.Sample(policy, chPrompts, domain.MaxQueryTokens, o.Temperature, seed, domain);
        var queries = slot.Select((t, i) => domain.Query(t, ch.Completions[i])).ToArray();

        // step 2: Solver — G answers per query.
        var solQueries = queries.SelectMany(q => Enumerable.Repeat(q, g)).ToArray();
        var solPrompts = queries.SelectMany(q => Enumerable.Repeat(domain.SolverPrompt(q), g)).ToArray();
        var sol = Rollouts.Sample(policy, solPrompts, domain.MaxAnswerTokens, o.Temperature, seed + 1, domain);
        return new(slot, chPrompts, ch.Completions, queries, Rollouts.Of(solQueries, solPrompts, sol, domain), ch.GeneratedTokens + sol.GeneratedTokens);
    }

    /// <summary>The groups of query-major rewards (G a group) that carry a Solver signal, in order: [1,1 | 0,1 | 0,0] → [1].</summary>
    public static IEnumerable<int> SignalGroups(double[] rewards, int g) => Enumerable.Range(0, rewards.Length / g).Where(i => GroupAdvantages.HasSignal(rewards[(i * g)..((i + 1) * g)]));

    /// <summary>
    /// Steps 3–7 on one batch: rewards, advantages, log-probs, the loss and one optimiser step, then metrics and samples.
    /// Call inside the step's dispose scope; <paramref name="clock"/> runs since the iteration began (for tokens/s).
    /// </summary>
    public void Update(int step, SelfPlayBatch batch, optim.Optimizer optimizer, Stopwatch clock)
    {
        int n = batch.Queries.Length, g = batch.Answers.Length / n, pad = domain.Tokenizer.PadId;
        var (queries, rollouts) = (batch.Queries, batch.Answers);
        var answers = rollouts.Select(a => a.Answer).ToArray();
        var solPrompts = rollouts.Select(a => a.Prompt).ToArray();
        var solCompletions = rollouts.Select(a => a.Completion).ToArray();

        // step 3: rewards R(q_i, a_ij) and, for LSP, the quality self-reward R_Q from the reference's judge.
        var rewards = batch.Rewards ?? domain.Reward.Score(rollouts, policy);
        var r = Grid(n, g, (i, j) => rewards[i * g + j]);
        var quality = withQuality ? domain.Quality.Score(rollouts, reference) : null;
        var judged = quality is null ? null : Grid(n, g, (i, j) => quality[i * g + j].Score);
        var q = judged?.Select(row => row.Select(x => o.QualityWeight * x).ToArray()).ToArray();

        // step 4: advantages (Algorithm 1; no std division unless ScaleByStd; the Challenger's named deviations in rules).
        var categories = queries.Select(domain.Category).ToArray();
        var slotIndex = batch.Slots.Select(t => Math.Max(0, tasks.IndexOf(t))).ToArray();   // each query's task, as Play drew it
        var rules = new ChallengerRules(o.InvalidQuery, o.ChallengerBaseline, [.. categories.Select(c => c == "invalid")], slotIndex);
        var adv = SelfPlayAdvantages.Compute(r, q, o.ScaleByStd, rules);

        // refill groups (SamplingRounds > 1): the Solver's advantages S − mean S within each, S = R (+ R_Q); no Challenger part.
        var refills = batch.Refills ?? [];
        var refillRollouts = refills.SelectMany(f => f.Answers).ToArray();
        var refillQuality = withQuality && refillRollouts.Length > 0 ? domain.Quality.Score(refillRollouts, reference) : null;
        var refillAdvantage = refills.Select((f, k) => GroupAdvantages.GroupRelative(
            [.. f.Rewards.Select((x, j) => x + (refillQuality is null ? 0 : o.QualityWeight * refillQuality[k * g + j].Score))], o.ScaleByStd)).ToArray();
        var solverAdvantage = adv.SolverAdvantage.Concat(refillAdvantage).SelectMany(a => a).Select(x => (float)x).ToArray();

        // step 5: log-probs of answers (and refill answers) and queries under πθ (gradient) and π_Ref (none).
        var solRows = Rollouts.Score(policy, reference, [.. solPrompts, .. refillRollouts.Select(a => a.Prompt)],
            [.. solCompletions, .. refillRollouts.Select(a => a.Completion)], pad, o.Temperature);
        var chRows = Rollouts.Score(policy, reference, batch.ChallengerPrompts, batch.QueryCompletions, pad, o.Temperature);

        // step 6: L = L_Sol + α_Ch·L_Ch; one optimiser step.
        var (lSol, sSol) = PolicyLoss.Compute(solRows.Logp, solRows.RefLogp, solRows.Mask,
            tensor(solverAdvantage, device: policy.Device), o.Beta, o.Kl, o.Averaging);
        var (lCh, sCh) = PolicyLoss.Compute(chRows.Logp, chRows.RefLogp, chRows.Mask,
            tensor(adv.ChallengerAdvantage.Select(x => (float)x).ToArray(), device: policy.Device), o.Beta, o.Kl, o.Averaging);
        OptimizerStep.Apply(optimizer, lSol + o.ChallengerWeight * lCh, policy.parameters(), o.GradClip);

        // step 7: metrics and samples.
        var levels = queries.Select(domain.Level).ToArray();
        var flatR = r.SelectMany(x => x).ToArray();
        var points = new List<MetricPoint>
        {
            new(step, MetricNames.SolverRewardMean, flatR.Average()),
            new(step, MetricNames.SolverRewardStd, GroupAdvantages.Std(flatR)),
            new(step, MetricNames.ChallengerRewardMean, adv.ChallengerReward.Average()),
            new(step, MetricNames.ChallengerValueMean, adv.ValueMean),
            // kl/*: the mean sequence log-ratio log πθ − log π_Ref (k1), comparable across KL options; kl/*_estimator: the one in the loss
            new(step, MetricNames.KlSolver, sSol.MeanLogRatio), new(step, MetricNames.KlChallenger, sCh.MeanLogRatio),
            new(step, MetricNames.KlSolverEstimator, sSol.Kl), new(step, MetricNames.KlChallengerEstimator, sCh.Kl),
            new(step, MetricNames.LossSolver, sSol.Loss), new(step, MetricNames.LossChallenger, sCh.Loss),
            new(step, MetricNames.EntropySolver, Rollouts.MeanEntropy(solRows)),
            new(step, MetricNames.LengthQuery, batch.QueryCompletions.Average(c => c.Length)),
            new(step, MetricNames.LengthAnswer, solCompletions.Average(c => c.Length)),
            new(step, MetricNames.GroupsZeroStdFrac, adv.ZeroStdFraction),
            new(step, MetricNames.ChallengerValidFrac, categories.Count(c => c != "invalid") / (double)n),
            new(step, MetricNames.TokensPerSecond, batch.GeneratedTokens / clock.Elapsed.TotalSeconds),
        };
        if (o.SamplingRounds > 1)   // the Solver groups that carry a signal: the first round's with differing rewards, and the refills
            points.Add(new(step, MetricNames.GroupsKept, SignalGroups(rewards, g).Count() + refills.Count));
        if (judged is not null) points.Add(new(step, MetricNames.QualityMean, judged.SelectMany(x => x).Average()));
        if (quality is not null) points.Add(new(step, MetricNames.QualityUnparsableFrac, quality.Count(v => !v.Parsed) / (double)quality.Length));
        points.AddRange(categories.GroupBy(c => c).Select(c => new MetricPoint(step, MetricNames.ChallengerFamily(c.Key), c.Count() / (double)n)));
        points.AddRange(LevelMetrics.Challenger(step, levels));
        points.AddRange(LevelMetrics.SolverReward(step, levels, r));
        log.Metrics(points);
        if (step % o.SampleEvery == 0 || step == 1)
        {
            LogSamples(step, batch.Slots, queries, categories, answers, [.. rollouts.Select(a => a.Stopped)], r, judged, adv);
            LogRefills(step, n, refills, refillQuality, refillAdvantage);
        }
    }

    void LogSamples(int step, string?[] slot, string[] queries, string[] categories, string[] answers, bool[] stopped,
        double[][] r, double[][]? quality, SelfPlayAdvantageResult adv)
    {
        int g = answers.Length / queries.Length;
        var samples = new List<SampleRecord>();
        for (int i = 0; i < queries.Length; i++)
        {
            samples.Add(new(step, SampleRoles.Challenger, slot[i] ?? "", queries[i], adv.ChallengerReward[i], categories[i] != "invalid",
                SampleExtras.Write(new ChallengerExtra(i, slot[i], categories[i], adv.Value[i], adv.QualityValue[i], adv.ChallengerAdvantage[i]))));
            for (int j = 0; j < g; j++)
                samples.Add(new(step, SampleRoles.Solver, queries[i], answers[i * g + j], r[i][j], r[i][j] >= 1.0,
                    SampleExtras.Write(new SolverExtra(i, j, quality?[i][j], adv.SolverAdvantage[i][j], stopped[i * g + j], domain.Expected(queries[i])))));
        }
        log.Samples(samples);
    }

    /// <summary>Refill groups as queries N, N+1, … of the step, marked as refills: their Challenger sample has no advantage
    /// (they are not in the Challenger's update), their answers the Solver advantages they trained with.</summary>
    void LogRefills(int step, int n, IReadOnlyList<SolverRefill> refills, QualityVerdict[]? quality, double[][] advantage)
    {
        if (refills.Count == 0) return;
        var samples = new List<SampleRecord>();
        for (int k = 0; k < refills.Count; k++)
        {
            var f = refills[k];
            int g = f.Answers.Length;
            var category = domain.Category(f.Query);
            samples.Add(new(step, SampleRoles.Challenger, f.Slot ?? "", f.Query, null, category != "invalid",
                SampleExtras.Write(new ChallengerExtra(n + k, f.Slot, category, f.Rewards.Average(), null, 0) { Refill = true })));
            for (int j = 0; j < g; j++)
                samples.Add(new(step, SampleRoles.Solver, f.Query, f.Answers[j].Answer, f.Rewards[j], f.Rewards[j] >= 1.0,
                    SampleExtras.Write(new SolverExtra(n + k, j, quality?[k * g + j].Score, advantage[k][j], f.Answers[j].Stopped, domain.Expected(f.Query)))));
        }
        log.Samples(samples);
    }

    static double[][] Grid(int n, int g, Func<int, int, double> f) =>
        Enumerable.Range(0, n).Select(i => Enumerable.Range(0, g).Select(j => f(i, j)).ToArray()).ToArray();
}
