// Language Self-Play (Kuba et al. 2025, Algorithm 1): one policy plays Challenger and Solver against a frozen reference.
// Each iteration: 1. Challenger writes N queries → 2. Solver answers each G times → 3. rewards R (+ quality R_Q for LSP)
// → 4. advantages (eq. in Algorithm 1) → 5. log-probs under πθ and π_Ref → 6. L = L_Sol + α_Ch·L_Ch, clip, step → 7. emit.
// With SamplingRounds > 1 (a named deviation, DAPO's dynamic sampling on the Solver's side), step 2 is followed by
// refill rounds: for each of the N groups that give the Solver no signal (its rewards S = R + R_Q all equal, or a held-out
// query), the Challenger writes more queries, and groups whose S differ join the Solver's loss. The Challenger's update
// stays on the first N. The held-out guard (step 3): a query that is a held-out evaluation item, by the domain's rule,
// never trains the Solver; under the default HeldOutQuery.Drop it leaves the Challenger's update too.
using System.Diagnostics;
using TorchSharp;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.SelfPlay;

/// <summary>What steps 1–2 sample, and all steps 3–7 read: N queries (task slot, challenger prompt, completion, text) and G
/// answers to each, query-major; with the tokens generated; and, with SamplingRounds > 1, the refill groups and the first
/// round's rewards R and quality verdicts R_Q (query-major, so Update need not score them again).</summary>
public sealed record SelfPlayBatch(string?[] Slots, Prompt[] ChallengerPrompts, int[][] QueryCompletions, string[] Queries,
    Rollout[] Answers, long GeneratedTokens, IReadOnlyList<SolverRefill>? Refills = null, double[]? Rewards = null,
    QualityVerdict[]? Quality = null)
{
    /// <summary>The batch with only the queries where <paramref name="keep"/>[i] holds, each with its G answers, rewards and
    /// quality (refills stay): [q0 a00 a01 | q1 a10 a11], keep [false, true] → [q1 a10 a11].</summary>
    public SelfPlayBatch Only(bool[] keep)
    {
        int g = Answers.Length / Queries.Length;
        T[] PerQuery<T>(T[] x) => [.. x.Where((_, i) => keep[i])];
        T[]? PerAnswer<T>(T[]? x) => x is null ? null : [.. x.Where((_, k) => keep[k / g])];
        return this with
        {
            Slots = PerQuery(Slots), ChallengerPrompts = PerQuery(ChallengerPrompts), QueryCompletions = PerQuery(QueryCompletions),
            Queries = PerQuery(Queries), Answers = PerAnswer(Answers)!, Rewards = PerAnswer(Rewards), Quality = PerAnswer(Quality),
        };
    }
}

/// <summary>A refill group: a query the Challenger wrote in a later sampling round (task slot, text) whose G answers'
/// Solver rewards S = R (+ R_Q) differ; it trains the Solver only. <paramref name="Quality"/>: R_Q of each answer (LSP).</summary>
public sealed record SolverRefill(string? Slot, string Query, Rollout[] Answers, double[] Rewards, QualityVerdict[]? Quality = null);

public sealed class SelfPlayRecipe(SelfPlayOptions o, bool withQuality, IRlDomain domain, IPolicy policy,
    IPolicy reference, IRunLog log)
{
    readonly List<string?> tasks = [.. domain.Tasks(o.UseTaskSlot)];

    /// <param name="checkpointing">Where to save resumable state; when it continues a saved state, <c>policy</c> holds that state's model.</param>
    public void Train(WinRateEvaluation evaluation, CancellationToken ct, Checkpointing? checkpointing = null) =>
        RlLoop.Train(policy, o, (p, step) => evaluation.Run(p, step), checkpointing, log, ct, Iteration);

    void Iteration(int step, optim.Optimizer optimizer)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        Update(step, Play(step), optimizer, clock);
    }

    /// <summary>Steps 1–2: the Challenger writes N queries (task slot round-robin), the Solver answers each G times; seeded
    /// by the step. With SamplingRounds > 1, refill rounds follow until as many groups that train the Solver with a signal
    /// (not held out, Solver rewards S that differ) are found as the first round lacked (or the rounds run out).</summary>
    public SelfPlayBatch Play(int step)
    {
        int n = o.Queries;
        var slotIndex = SelfPlayAdvantages.TaskSlots(step, n, o.QueriesPerTask, tasks.Count);
        var slot = slotIndex.Select(t => tasks[t]).ToArray();
        var first = Round(slot, RolloutSeed.At(o.Seed, step * 2L));
        if (o.SamplingRounds == 1) return first;

        first = Scored(first);
        int wanted = n - SolverSignal(first).Count();
        long tokens = first.GeneratedTokens;
        // refill rounds 1, 2, …: only the groups that train the Solver with a signal are kept (DynamicSampling)
        var refills = DynamicSampling.Keep(1, o.SamplingRounds, wanted, round =>
        {
            var more = Scored(Round(slot, RolloutSeed.At(o.Seed, step * 2L, round)));
            tokens += more.GeneratedTokens;
            return SolverSignal(more).ToList().Select(i =>
            {
                var group = (i * o.Answers)..((i + 1) * o.Answers);
                return new SolverRefill(slot[i], more.Queries[i], more.Answers[group], more.Rewards![group], more.Quality?[group]);
            });
        }, _ => true);
        return first with { GeneratedTokens = tokens, Refills = refills };
    }

    /// <summary>One round of steps 1–2 for the given task slots: N queries, G answers each.</summary>
    SelfPlayBatch Round(string?[] slot, long seed)
    {
        int g = o.Answers;
        // step 1: Challenger — N queries from the challenger prompt (task slot round-robin, QueriesPerTask queries a slot).
        var chPrompts = slot.Select(domain.ChallengerPrompt).ToArray();
        var ch = Rollouts.Sample(policy, chPrompts, domain.MaxQueryTokens, o.Temperature, seed, domain, o.RolloutBatch);
        var queries = slot.Select((t, i) => domain.Query(t, ch.Completions[i])).ToArray();

        // step 2: Solver — G answers per query.
        var solQueries = queries.SelectMany(q => Enumerable.Repeat(q, g)).ToArray();
        var solPrompts = queries.SelectMany(q => Enumerable.Repeat(domain.SolverPrompt(q), g)).ToArray();
        var sol = Rollouts.Sample(policy, solPrompts, domain.MaxAnswerTokens, o.Temperature, seed + 1, domain, o.RolloutBatch);
        return new(slot, chPrompts, ch.Completions, queries, Rollouts.Of(solQueries, solPrompts, sol, domain), ch.GeneratedTokens + sol.GeneratedTokens);
    }

    /// <summary>Step 3 on a batch, unless Play did it: rewards R(q_i, a_ij) and, for LSP, the quality self-reward R_Q from
    /// the reference's judge.</summary>
    SelfPlayBatch Scored(SelfPlayBatch b) => b with
    {
        Rewards = b.Rewards ?? domain.Reward.Score(b.Answers, policy),
        Quality = withQuality ? b.Quality ?? domain.Quality.Score(b.Answers, reference) : null,
    };

    /// <summary>The Solver's reward S = R + w·R_Q of each answer (R for LSP-Zero), query-major.</summary>
    double[] SolverScores(double[] rewards, QualityVerdict[]? quality) =>
        [.. rewards.Select((x, k) => x + (quality is null ? 0 : o.QualityWeight * quality[k].Score))];

    /// <summary>The queries of a scored batch whose group trains the Solver with a signal.</summary>
    IEnumerable<int> SolverSignal(SelfPlayBatch b) => SolverGroups(SolverScores(b.Rewards!, b.Quality), o.Answers, b.Queries, domain.IsHeldOut);

    /// <summary>The groups that train the Solver with a signal: Solver rewards S (query-major, G a group) that differ, and a
    /// query that is not held out. S [1,1 | 0,1 | 1,0], queries [a, b, c] with c held out → [1].</summary>
    public static IEnumerable<int> SolverGroups(double[] scores, int g, IReadOnlyList<string> queries, Func<string, bool> isHeldOut) =>
        SignalGroups(scores, g).Where(i => !isHeldOut(queries[i]));

    /// <summary>A loss term's statistics over its micro-batches, each weighed by its share of the rows.</summary>
    static PolicyLossStats Weighed(IEnumerable<(double Share, PolicyLossStats Stats)> parts) =>
        parts.Aggregate(new PolicyLossStats(0, 0, 0), (a, p) => new(a.Loss + p.Share * p.Stats.Loss, a.Kl + p.Share * p.Stats.Kl, a.MeanLogRatio + p.Share * p.Stats.MeanLogRatio));

    /// <summary>The groups of query-major rewards (G a group) that carry a Solver signal, in order: [1,1 | 0,1 | 0,0] → [1].</summary>
    public static IEnumerable<int> SignalGroups(double[] rewards, int g) => Enumerable.Range(0, rewards.Length / g).Where(i => GroupAdvantages.HasSignal(rewards[(i * g)..((i + 1) * g)]));

    /// <summary>
    /// Steps 3–7 on one batch: rewards, the held-out guard, advantages, log-probs, the loss and one optimiser step, then
    /// metrics and samples. Call inside the step's dispose scope; <paramref name="clock"/> runs since the iteration began.
    /// </summary>
    public void Update(int step, SelfPlayBatch batch, optim.Optimizer optimizer, Stopwatch clock)
    {
        int n = batch.Queries.Length, g = batch.Answers.Length / n, pad = domain.Tokenizer.PadId;
        var rolloutSeconds = clock.Elapsed.TotalSeconds;                    // Play ran before: steps 1–2

        // step 3: rewards R and, for LSP, R_Q (Play scored them when it refilled).
        batch = Scored(batch);

        // the held-out guard: a query that is a held-out evaluation item gives the Solver no gradient (its group leaves
        // the Solver's update); under HeldOutQuery.Drop it leaves the Challenger's update too, as if never written.
        var heldOut = batch.Queries.Select(domain.IsHeldOut).ToArray();
        var inUpdate = heldOut.Select(h => !h || o.HeldOutQuery == HeldOutQuery.Score).ToArray();
        var played = batch.Only(inUpdate);                                    // the Challenger's update: m ≤ N queries
        var index = Enumerable.Range(0, n).Where(i => inUpdate[i]).ToArray(); // played query k is written query index[k]
        int m = played.Queries.Length;
        var solverTrains = index.Select(i => !heldOut[i]).ToArray();          // per played query: its group trains the Solver

        var refills = batch.Refills ?? [];
        var refillQuality = refills.Select(f => withQuality ? f.Quality ?? domain.Quality.Score(f.Answers, reference) : null).ToArray();
        var refillAdvantage = refills.Select((f, k) => GroupAdvantages.GroupRelative(SolverScores(f.Rewards, refillQuality[k]), o.ScaleByStd)).ToArray();
        if (m == 0 && refills.Count == 0)
        {
            // every query was held out and dropped: nothing to train on this step
            log.Metrics([new(step, MetricNames.ChallengerHeldOutFrac, 1.0)]);
            if (step % o.SampleEvery == 0 || step == 1) LogSamples(step, batch, heldOut, index, null, null);
            return;
        }

        // step 4: advantages (Algorithm 1; no std division unless ScaleByStd; the Challenger's named deviations in rules).
        SelfPlayAdvantageResult? adv = null;
        double[][]? judged = null;
        if (m > 0)
        {
            var r = Groups(played.Rewards!, g);
            judged = played.Quality is null ? null : Groups([.. played.Quality.Select(v => v.Score)], g);
            var q = judged?.Select(row => row.Select(x => o.QualityWeight * x).ToArray()).ToArray();
            var slotIndex = played.Slots.Select(t => Math.Max(0, tasks.IndexOf(t))).ToArray();   // each query's task, as Play drew it
            var rules = new ChallengerRules(o.InvalidQuery, o.ChallengerBaseline, [.. played.Queries.Select(x => domain.Category(x) == QueryCategories.Invalid)], slotIndex);
            adv = SelfPlayAdvantages.Compute(r, q, o.ScaleByStd, rules);
        }

        // step 5: log-probs under πθ (gradient) and π_Ref (none): the Solver's rows (groups it trains on, then refills), the queries.
        var solverRows = Enumerable.Range(0, m).Where(k => solverTrains[k]).SelectMany(k => Enumerable.Range(k * g, g)).ToArray();
        var solverRollouts = solverRows.Select(k => played.Answers[k]).Concat(refills.SelectMany(f => f.Answers)).ToArray();
        var solverAdvantage = solverRows.Select(k => adv!.SolverAdvantage[k / g][k % g]).Concat(refillAdvantage.SelectMany(a => a)).Select(x => (float)x).ToArray();

        // step 6: L = L_Sol + α_Ch·L_Ch; one optimiser step.
        var updateClock = Stopwatch.StartNew();
        long updateTokens = solverRollouts.Sum(a => (long)a.Prompt.Length + a.Completion.Length)
            + Enumerable.Range(0, m).Sum(k => (long)played.ChallengerPrompts[k].Length + played.QueryCompletions[k].Length);
        PolicyLossStats sSol = new(0, 0, 0), sCh = new(0, 0, 0);
        double entropy = 0;
        if (o.MicroBatch <= 0)
        {
            var loss = zeros(1, device: policy.Device).squeeze();
            if (solverRollouts.Length > 0)
            {
                var solRows = Rollouts.Score(policy, reference, [.. solverRollouts.Select(a => a.Prompt)], [.. solverRollouts.Select(a => a.Completion)], pad, o.Temperature);
                (var lSol, sSol) = PolicyLoss.Compute(solRows.Logp, solRows.RefLogp, solRows.Mask, tensor(solverAdvantage, device: policy.Device), o.Beta, o.Kl, o.Averaging);
                entropy = Rollouts.MeanEntropy(solRows);
                loss = loss.Plus(lSol);
            }
            if (m > 0)
            {
                var chRows = Rollouts.Score(policy, reference, played.ChallengerPrompts, played.QueryCompletions, pad, o.Temperature);
                (var lCh, sCh) = PolicyLoss.Compute(chRows.Logp, chRows.RefLogp, chRows.Mask,
                    tensor(adv!.ChallengerAdvantage.Select(x => (float)x).ToArray(), device: policy.Device), o.Beta, o.Kl, o.Averaging);
                using var weight = o.ChallengerWeight.ToScalar();            // explicit Scalars throughout: see TensorMath
                loss = loss.Plus(lCh * weight);
            }
            OptimizerStep.Apply(optimizer, loss, policy.parameters(), o.GradClip);
        }
        else
        {
            // the same loss in micro-batches: each term's mean over its rows, accumulated a micro-batch at a time
            optimizer.zero_grad();
            if (solverRollouts.Length > 0)
            {
                var parts = MicroBatches.Backward(solverRollouts.Length, o.MicroBatch, 1.0, range =>
                {
                    var rows = MicroBatches.Slice(solverRollouts, range);
                    var scored = Rollouts.Score(policy, reference, [.. rows.Select(a => a.Prompt)], [.. rows.Select(a => a.Completion)], pad, o.Temperature);
                    var (l, s) = PolicyLoss.Compute(scored.Logp, scored.RefLogp, scored.Mask, tensor(MicroBatches.Slice(solverAdvantage, range), device: policy.Device), o.Beta, o.Kl, o.Averaging);
                    return (l, (s, Entropy: scored.Entropy.sum().item<float>(), Tokens: scored.Mask.sum().item<float>()));
                });
                sSol = Weighed(parts.Select(p => (p.Share, p.Stats.s)));
                entropy = parts.Sum(p => p.Stats.Entropy) / Math.Max(1, parts.Sum(p => p.Stats.Tokens));
            }
            if (m > 0)
            {
                var chAdvantage = adv!.ChallengerAdvantage.Select(x => (float)x).ToArray();
                var parts = MicroBatches.Backward(m, o.MicroBatch, o.ChallengerWeight, range =>
                {
                    var scored = Rollouts.Score(policy, reference, MicroBatches.Slice(played.ChallengerPrompts, range), MicroBatches.Slice(played.QueryCompletions, range), pad, o.Temperature);
                    return PolicyLoss.Compute(scored.Logp, scored.RefLogp, scored.Mask, tensor(MicroBatches.Slice(chAdvantage, range), device: policy.Device), o.Beta, o.Kl, o.Averaging);
                });
                sCh = Weighed(parts);
            }
            OptimizerStep.Step(optimizer, policy.parameters(), o.GradClip);
        }

        var updateSeconds = updateClock.Elapsed.TotalSeconds;

        // step 7: metrics (what the Challenger wrote: all N queries; rewards and advantages: the queries of the update) and samples.
        var categories = batch.Queries.Select(domain.Category).ToArray();
        var points = new List<MetricPoint>
        {
            // kl/*: the mean sequence log-ratio log πθ − log π_Ref (k1), comparable across KL options; kl/*_estimator: the one in the loss
            new(step, MetricNames.KlSolver, sSol.MeanLogRatio), new(step, MetricNames.KlChallenger, sCh.MeanLogRatio),
            new(step, MetricNames.KlSolverEstimator, sSol.Kl), new(step, MetricNames.KlChallengerEstimator, sCh.Kl),
            new(step, MetricNames.LossSolver, sSol.Loss), new(step, MetricNames.LossChallenger, sCh.Loss),
            new(step, MetricNames.EntropySolver, entropy),
            new(step, MetricNames.LengthQuery, batch.QueryCompletions.Average(c => c.Length)),
            new(step, MetricNames.ChallengerValidFrac, categories.Count(c => c != QueryCategories.Invalid) / (double)n),
            new(step, MetricNames.ChallengerHeldOutFrac, heldOut.Count(h => h) / (double)n),
            new(step, MetricNames.TokensPerSecond, batch.GeneratedTokens / clock.Elapsed.TotalSeconds),
            new(step, MetricNames.RolloutSeconds, rolloutSeconds), new(step, MetricNames.RolloutTokensPerSecond, batch.GeneratedTokens / rolloutSeconds),
            new(step, MetricNames.UpdateSeconds, updateSeconds), new(step, MetricNames.UpdateTokens, updateTokens),
            new(step, MetricNames.UpdateTokensPerSecond, updateTokens / updateSeconds),
        };
        if (adv is not null)
        {
            var flatR = played.Rewards!;
            points.AddRange([
                new(step, MetricNames.SolverRewardMean, flatR.Average()),
                new(step, MetricNames.SolverRewardStd, GroupAdvantages.Std(flatR)),
                new(step, MetricNames.ChallengerRewardMean, adv.ChallengerReward.Average()),
                new(step, MetricNames.ChallengerValueMean, adv.ValueMean),
                new(step, MetricNames.LengthAnswer, played.Answers.Average(a => a.Completion.Length)),
                new(step, MetricNames.GroupsZeroStdFrac, adv.ZeroStdFraction),
                .. LevelMetrics.SolverReward(step, [.. played.Queries.Select(domain.Level)], Groups(flatR, g)),
            ]);
            if (judged is not null) points.Add(new(step, MetricNames.QualityMean, judged.SelectMany(x => x).Average()));
            if (played.Quality is not null) points.Add(new(step, MetricNames.QualityUnparsableFrac, played.Quality.Count(v => !v.Parsed) / (double)played.Quality.Length));
        }
        if (o.SamplingRounds > 1)   // the Solver groups that carry a signal: the first round's with differing S, and the refills
            points.Add(new(step, MetricNames.GroupsKept, SolverSignal(batch).Count() + refills.Count));
        points.AddRange(categories.GroupBy(c => c).Select(c => new MetricPoint(step, MetricNames.ChallengerFamily(c.Key), c.Count() / (double)n)));
        points.AddRange(LevelMetrics.Challenger(step, [.. batch.Queries.Select(domain.Level)]));
        log.Metrics(points);
        if (step % o.SampleEvery == 0 || step == 1)
        {
            LogSamples(step, batch, heldOut, index, adv, judged);
            LogRefills(step, n, refills, refillQuality, refillAdvantage);
        }
    }

    /// <summary>Every query written at the step and its G answers. A query of the update (played index k) carries its
    /// values and advantages; a held-out one is marked so, and its answers (never trained on) have advantage 0.</summary>
    void LogSamples(int step, SelfPlayBatch batch, bool[] heldOut, int[] index, SelfPlayAdvantageResult? adv, double[][]? quality)
    {
        int n = batch.Queries.Length, g = batch.Answers.Length / n;
        var played = index.Select((i, k) => (i, k)).ToDictionary(x => x.i, x => x.k);
        var samples = new List<SampleRecord>();
        for (int i = 0; i < n; i++)
        {
            var query = batch.Queries[i];
            var category = domain.Category(query);
            int? k = played.TryGetValue(i, out var kk) ? kk : null;
            var rewards = batch.Rewards![(i * g)..((i + 1) * g)];
            var value = k is { } p && adv is not null ? adv.Value[p] : rewards.Average();
            var extra = new ChallengerExtra(i, batch.Slots[i], category, value, k is { } p1 && adv is not null ? adv.QualityValue[p1] : null,
                k is { } p2 && adv is not null ? adv.ChallengerAdvantage[p2] : 0) { HeldOut = heldOut[i] ? true : null };
            samples.Add(new(step, SampleRole.Challenger, batch.Slots[i] ?? "", query, k is { } p3 && adv is not null ? adv.ChallengerReward[p3] : null,
                category != QueryCategories.Invalid, SampleExtras.Write(extra)));
            for (int j = 0; j < g; j++)
            {
                var a = batch.Answers[i * g + j];
                double advantage = !heldOut[i] && k is { } p4 && adv is not null ? adv.SolverAdvantage[p4][j] : 0;
                samples.Add(new(step, SampleRole.Solver, query, a.Answer, rewards[j], rewards[j] >= 1.0,
                    SampleExtras.Write(new SolverExtra(i, j, k is { } p5 ? quality?[p5][j] : batch.Quality?[i * g + j].Score, advantage, a.Stopped,
                        domain.Expected(query)) { HeldOut = heldOut[i] ? true : null })));
            }
        }
        log.Samples(samples);
    }

    /// <summary>Refill groups as queries N, N+1, … of the step, marked as refills: their Challenger sample has no advantage
    /// (they are not in the Challenger's update), their answers the Solver advantages they trained with.</summary>
    void LogRefills(int step, int n, IReadOnlyList<SolverRefill> refills, QualityVerdict[]?[] quality, double[][] advantage)
    {
        if (refills.Count == 0) return;
        var samples = new List<SampleRecord>();
        for (int k = 0; k < refills.Count; k++)
        {
            var f = refills[k];
            int g = f.Answers.Length;
            var category = domain.Category(f.Query);
            samples.Add(new(step, SampleRole.Challenger, f.Slot ?? "", f.Query, null, category != QueryCategories.Invalid,
                SampleExtras.Write(new ChallengerExtra(n + k, f.Slot, category, f.Rewards.Average(), null, 0) { Refill = true })));
            for (int j = 0; j < g; j++)
                samples.Add(new(step, SampleRole.Solver, f.Query, f.Answers[j].Answer, f.Rewards[j], f.Rewards[j] >= 1.0,
                    SampleExtras.Write(new SolverExtra(n + k, j, quality[k]?[j].Score, advantage[k][j], f.Answers[j].Stopped, domain.Expected(f.Query)))));
        }
        log.Samples(samples);
    }

    /// <summary>Query-major values, G a group, as rows: [a, b, c, d], g 2 → [[a, b], [c, d]].</summary>
    static double[][] Groups(double[] x, int g) => [.. Enumerable.Range(0, x.Length / g).Select(i => x[(i * g)..((i + 1) * g)])];
}
