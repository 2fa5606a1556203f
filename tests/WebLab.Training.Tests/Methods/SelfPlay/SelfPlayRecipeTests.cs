// One self-play iteration on hand-made batches of two queries × two answers: every logged number worked out by hand,
// and the update moves the policy the way the advantages say; and a few real iterations leak no tensors.
using System.Diagnostics;
using TorchSharp;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.SelfPlay;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.SelfPlay;

public class SelfPlayRecipeTests
{
    static readonly TinyTasksTokenizer Tok = TinyTasksTokenizer.Instance;
    static readonly TinyTasksRlDomain Domain = new(partialCredit: false);    // exact match: rewards 1 or 0

    /// <summary>Queries with their task slot, each answered by the given texts (every answer ends with the stop token).</summary>
    static SelfPlayBatch Batch(params (string Family, string Query, string[] Answers)[] rows) => BatchOn(Domain, rows);

    static SelfPlayBatch BatchOn(IRlDomain domain, params (string Family, string Query, string[] Answers)[] rows) => new(
        [.. rows.Select(r => (string?)r.Family)],
        [.. rows.Select(r => domain.ChallengerPrompt(r.Family))],
        [.. rows.Select(r => Tok.ChallengerTarget(r.Family, r.Query))],
        [.. rows.Select(r => r.Query)],
        [.. rows.SelectMany(r => r.Answers.Select(a => new Rollout(r.Query, domain.SolverPrompt(r.Query), Tok.SolverTarget(a), a, Stopped: true)))],
        GeneratedTokens: 0);

    /// <summary>Runs Update on <paramref name="batch"/> (policy and reference both the shipped base) and returns the log and
    /// the sequence log-probs of the answers and of the queries under the policy before and after the step.</summary>
    static (RecordingRunLog Log, double[] AnswersBefore, double[] AnswersAfter, double[] QueriesBefore, double[] QueriesAfter) Step(
        SelfPlayBatch batch, SelfPlayOptions o, IRlDomain? domain = null) => StepWith(batch, o, domain ?? Domain).Result;

    /// <summary>As <see cref="Step"/>, also returning every policy weight after the step.</summary>
    static ((RecordingRunLog Log, double[] AnswersBefore, double[] AnswersAfter, double[] QueriesBefore, double[] QueriesAfter) Result, float[][] Weights) StepWith(
        SelfPlayBatch batch, SelfPlayOptions o, IRlDomain domain)
    {
        using var policy = TinyBaseModel.Load();
        using var reference = TinyBaseModel.Load();
        foreach (var p in reference.parameters()) p.requires_grad = false;
        double[] Answers() => SequenceLogProbs.SequenceTotals(policy, [.. batch.Answers.Select(a => a.Prompt.Tokens)], [.. batch.Answers.Select(a => a.Completion)], Tok.PadId);
        double[] Queries() => SequenceLogProbs.SequenceTotals(policy, [.. batch.ChallengerPrompts.Select(p => p.Tokens)], batch.QueryCompletions, Tok.PadId);
        var (answersBefore, queriesBefore) = (Answers(), Queries());
        var refBefore = reference.parameters().First().data<float>().ToArray();
        var log = new RecordingRunLog();
        using (var optimizer = optim.AdamW(policy.parameters(), lr: o.LearningRate))
        using (var scope = NewDisposeScope())
            new SelfPlayRecipe(o, withQuality: false, domain, policy, reference, log).Update(1, batch, optimizer, Stopwatch.StartNew());
        Assert.Equal(refBefore, reference.parameters().First().data<float>().ToArray());   // the reference stays frozen
        return ((log, answersBefore, Answers(), queriesBefore, Queries()), [.. policy.parameters().Select(p => p.data<float>().ToArray())]);
    }

    static double Metric(RecordingRunLog log, string name) => Assert.Single(log.Series(name)).Value;

    // Adam's first step moves every weight by about lr·sign(gradient): at lr 1e-6 the surrogate Σ A·log π rises to first order
    static readonly SelfPlayOptions Options = new() { Queries = 2, Answers = 2, Beta = 0.1, Kl = KlEstimator.K3, LearningRate = 1e-6, SampleEvery = 1 };

    [Fact]
    public void Solver_step_follows_hand_worked_advantages()
    {
        // R = [[1, 0], [1, 1]]: "rev ab" answered right ("ba") and wrong ("ab"); "add 1 2" right twice.
        // V = [½, 1], V̄ = ¾; A_Sol = R − V = [[½, −½], [0, 0]]; C = −V = [−½, −1], A_Ch = C − mean C = [¼, −¼].
        var (log, before, after, _, _) = Step(Batch(("rev", "rev ab", ["ba", "ab"]), ("add", "add 1 2", ["3", "3"])), Options with { ChallengerWeight = 0 });

        Assert.Equal(0.75, Metric(log, MetricNames.SolverRewardMean));
        Assert.Equal(Math.Sqrt(0.1875), Metric(log, MetricNames.SolverRewardStd), 12);   // population std of 1, 0, 1, 1
        Assert.Equal((0.75, -0.75), (Metric(log, MetricNames.ChallengerValueMean), Metric(log, MetricNames.ChallengerRewardMean)));
        Assert.Equal(0.5, Metric(log, MetricNames.GroupsZeroStdFrac));                   // the add group has no signal
        Assert.Equal((1.0, 0.5, 0.5), (Metric(log, MetricNames.ChallengerValidFrac),
            Metric(log, MetricNames.ChallengerFamily("rev")), Metric(log, MetricNames.ChallengerFamily("add"))));
        // lengths with the stop token: answers ba, ab (3) and 3, 3 (2); queries "ab" (3) and "1 2" (4) after their family slot
        Assert.Equal((2.5, 3.5), (Metric(log, MetricNames.LengthAnswer), Metric(log, MetricNames.LengthQuery)));
        // policy = reference before the step: no KL, and the on-policy loss is −mean A = 0
        Assert.Equal((0.0, 0.0, 0.0), (Metric(log, MetricNames.KlSolver), Metric(log, MetricNames.KlSolverEstimator), Metric(log, MetricNames.LossSolver)));

        var solvers = log.SampleRecords.Where(s => s.Role == SampleRole.Solver).Select(s => (s.Reward, SampleExtras.Read<SolverExtra>(s.ExtraJson)!)).ToList();
        Assert.Equal([(1.0, 0, 0, 0.5), (0.0, 0, 1, -0.5), (1.0, 1, 0, 0.0), (1.0, 1, 1, 0.0)],
            solvers.Select(s => (s.Reward!.Value, s.Item2.Query, s.Item2.Answer, s.Item2.Advantage)));
        var challengers = log.SampleRecords.Where(s => s.Role == SampleRole.Challenger).Select(s => SampleExtras.Read<ChallengerExtra>(s.ExtraJson)!).ToList();
        Assert.Equal([(0.5, 0.25), (1.0, -0.25)], challengers.Select(c => (c.Value, c.Advantage)));

        // the right answer gained on the wrong one; the flat group's answers barely moved compared with that
        var gain = (after[0] - before[0]) - (after[1] - before[1]);
        Assert.True(gain > 0, $"log π(ba) − log π(ab) changed by {gain}");
    }

    [Fact]
    public void Challenger_step_follows_hand_worked_advantages()
    {
        // R = [[1, 1], [0, 0]]: both groups flat, so A_Sol = 0; V = [1, 0], C = −V = [−1, 0], A_Ch = [−½, ½]:
        // the query its solver always got right is the one the Challenger learns away from.
        var (log, _, _, before, after) = Step(Batch(("rev", "rev ab", ["ba", "ba"]), ("add", "add 1 2", ["4", "5"])), Options with { ChallengerWeight = 1 });

        var challengers = log.SampleRecords.Where(s => s.Role == SampleRole.Challenger).Select(s => (s.Reward, SampleExtras.Read<ChallengerExtra>(s.ExtraJson)!)).ToList();
        Assert.Equal([(-1.0, -0.5), (0.0, 0.5)], challengers.Select(c => (c.Reward!.Value, c.Item2.Advantage)));
        Assert.Equal(1.0, Metric(log, MetricNames.GroupsZeroStdFrac));
        Assert.Equal((0.0, 0.0), (Metric(log, MetricNames.KlChallenger), Metric(log, MetricNames.LossChallenger)));
        var gain = (after[1] - before[1]) - (after[0] - before[0]);
        Assert.True(gain > 0, $"log π(add 1 2) − log π(rev ab) changed by {gain}");
    }

    [Fact]
    public void Signal_groups_are_those_whose_rewards_differ()
    {
        Assert.Equal([1], SelfPlayRecipe.SignalGroups([1, 1, 0, 1, 0, 0], g: 2));
        Assert.Equal([0, 2], SelfPlayRecipe.SignalGroups([0.5, 0.25, 0, 0, 1, 0.9], g: 2));
        Assert.Empty(SelfPlayRecipe.SignalGroups([1, 1, 1], g: 3));
    }

    [Fact]
    public void Refill_groups_train_the_Solver_and_leave_the_Challenger_as_the_paper()
    {
        // First round as in the Solver test: R = [[1, 0], [1, 1]], A_Ch = [¼, −¼]. One refill, "rev abc" answered right
        // ("cba") and wrong ("abc"): R = [1, 0], A_Sol = [½, −½]. The add group was flat; with the refill two carry signal.
        var refill = new SolverRefill("rev", "rev abc", [.. new[] { "cba", "abc" }.Select(a => new Rollout("rev abc", Domain.SolverPrompt("rev abc"), Tok.SolverTarget(a), a, Stopped: true))], [1, 0]);
        var batch = Batch(("rev", "rev ab", ["ba", "ab"]), ("add", "add 1 2", ["3", "3"])) with { Refills = [refill] };
        using var policy = TinyBaseModel.Load();
        using var reference = TinyBaseModel.Load();
        foreach (var p in reference.parameters()) p.requires_grad = false;
        double[] Refill() => SequenceLogProbs.SequenceTotals(policy, [.. refill.Answers.Select(a => a.Prompt.Tokens)], [.. refill.Answers.Select(a => a.Completion)], Tok.PadId);
        var before = Refill();
        var log = new RecordingRunLog();
        var o = Options with { ChallengerWeight = 0, SamplingRounds = 2 };
        using (var optimizer = optim.AdamW(policy.parameters(), lr: o.LearningRate))
        using (var scope = NewDisposeScope())
            new SelfPlayRecipe(o, withQuality: false, Domain, policy, reference, log).Update(1, batch, optimizer, Stopwatch.StartNew());
        var after = Refill();

        Assert.Equal(2.0, Metric(log, MetricNames.GroupsKept));
        Assert.Equal(0.75, Metric(log, MetricNames.SolverRewardMean));        // the first round's, as the paper
        var challengers = log.SampleRecords.Where(s => s.Role == SampleRole.Challenger).Select(s => SampleExtras.Read<ChallengerExtra>(s.ExtraJson)!).ToList();
        Assert.Equal([(0, 0.25, (bool?)null), (1, -0.25, null), (2, 0.0, true)], challengers.Select(c => (c.Query, c.Advantage, c.Refill)));
        var refillAnswers = log.SampleRecords.Where(s => s.Role == SampleRole.Solver).Select(s => SampleExtras.Read<SolverExtra>(s.ExtraJson)!).Where(x => x.Query == 2);
        Assert.Equal([(0, 0.5), (1, -0.5)], refillAnswers.Select(x => (x.Answer, x.Advantage)));
        var gain = (after[0] - before[0]) - (after[1] - before[1]);
        Assert.True(gain > 0, $"log π(cba) − log π(abc) changed by {gain}");
    }

    [Fact]
    public void Play_refills_flat_groups_with_groups_that_carry_a_signal()
    {
        using var policy = TinyBaseModel.Load();
        using var reference = TinyBaseModel.Load();
        var o = new SelfPlayOptions { Queries = 8, Answers = 4, UseTaskSlot = true, Threads = 1 };
        SelfPlayBatch Play(int rounds) { using var scope = NewDisposeScope(); return new SelfPlayRecipe(o with { SamplingRounds = rounds }, true, Domain, policy, reference, new RecordingRunLog()).Play(3); }
        var plain = Play(1);
        var refilled = Play(4);

        // the first round is the paper's batch, drawn the same; its rewards come along
        Assert.Equal(plain.Queries, refilled.Queries);
        Assert.Equal(plain.Answers.Select(a => a.Answer), refilled.Answers.Select(a => a.Answer));
        Assert.Null(plain.Refills);
        // LSP: the Solver's reward is S = R + w·R_Q, and refills are chosen by it (R_Q comes along, judged by the reference)
        double[] S(double[] r, QualityVerdict[] q) => [.. r.Select((x, j) => x + o.QualityWeight * q[j].Score)];
        var rewards = Assert.IsType<double[]>(refilled.Rewards);
        var quality = Assert.IsType<QualityVerdict[]>(refilled.Quality);
        int flat = 8 - SelfPlayRecipe.SignalGroups(S(rewards, quality), 4).Count();
        Assert.True(flat > 0, "the base solves or fails some groups outright");
        var refills = Assert.IsAssignableFrom<IReadOnlyList<SolverRefill>>(refilled.Refills);
        Assert.InRange(refills.Count, 1, flat);
        Assert.All(refills, f => Assert.Equal(4, f.Answers.Length));
        Assert.All(refills, f => Assert.Contains(S(f.Rewards, f.Quality!), x => x != S(f.Rewards, f.Quality!)[0]));
        Assert.All(refills, f => Assert.Equal(Domain.Reward.Score(f.Answers, policy), f.Rewards));
        Assert.All(refills, f => Assert.Equal(Domain.Quality.Score(f.Answers, reference), f.Quality));
        Assert.True(refilled.GeneratedTokens > plain.GeneratedTokens);
    }

    // The held-out guard (issue 25), on the frontier testbed, whose held-out share is TinyTaskHeldOut's eighth of the space.
    static readonly TinyTasksRlDomain Frontier = new(partialCredit: false, testbed: TinyTasksTestbed.Frontier);

    /// <summary>A held-out item of the frontier testbed (an evaluation item at its default seed), its family and right answer.</summary>
    static (string Family, string Query, string Answer) HeldOutItem()
    {
        var item = TinyTasksTestbed.Frontier.Evaluation(5).First(s => s.Name == "rev").Items[0];
        Assert.True(Frontier.IsHeldOut(item.Instruction));
        return ("rev", item.Instruction, item.Answer);
    }

    [Fact]
    public void A_held_out_Challenger_query_leaves_the_update_as_if_it_had_not_been_written()
    {
        // Three queries: a held-out evaluation item answered right and wrong (it would carry a Solver signal), "rev ab"
        // answered right and wrong, "add 1 2" right twice. Under Drop (the default) every weight after the step equals the
        // step on the two other queries alone, and challenger/heldout_frac is 1/3.
        var (family, query, answer) = HeldOutItem();
        var o = Options with { LearningRate = 1e-3 };
        var with = BatchOn(Frontier, (family, query, [answer, "x"]), ("rev", "rev ab", ["ba", "ab"]), ("add", "add 1 2", ["3", "3"]));
        var without = BatchOn(Frontier, ("rev", "rev ab", ["ba", "ab"]), ("add", "add 1 2", ["3", "3"]));
        var (guarded, weights) = StepWith(with, o, Frontier);
        var (plain, expected) = StepWith(without, o, Frontier);
        Assert.Equal(expected, weights);
        Assert.NotEqual(plain.AnswersBefore, plain.AnswersAfter);             // the step did move the policy
        Assert.Equal(1 / 3.0, Metric(guarded.Log, MetricNames.ChallengerHeldOutFrac), 12);
        Assert.Equal(0.0, Metric(plain.Log, MetricNames.ChallengerHeldOutFrac));
        // rewards and advantages come from the two queries of the update, exactly as without the item
        foreach (var name in new[] { MetricNames.SolverRewardMean, MetricNames.ChallengerRewardMean, MetricNames.GroupsZeroStdFrac, MetricNames.LossSolver })
            Assert.Equal(Metric(plain.Log, name), Metric(guarded.Log, name));
        // the held-out query is logged, marked, with advantage 0 for the Challenger and each of its answers
        var ch = guarded.Log.SampleRecords.Where(r => r.Role == SampleRole.Challenger).Select(r => SampleExtras.Read<ChallengerExtra>(r.ExtraJson)!).ToList();
        Assert.Equal([(0, true, 0.0), (1, false, 0.25), (2, false, -0.25)], ch.Select(c => (c.Query, c.HeldOut == true, c.Advantage)));
        var sol = guarded.Log.SampleRecords.Where(r => r.Role == SampleRole.Solver).Select(r => SampleExtras.Read<SolverExtra>(r.ExtraJson)!).ToList();
        Assert.Equal([(true, 0.0), (true, 0.0), (false, 0.5), (false, -0.5), (false, 0.0), (false, 0.0)], sol.Select(x => (x.HeldOut == true, x.Advantage)));
    }

    [Fact]
    public void Under_Score_the_Challenger_is_scored_on_a_held_out_query_and_the_Solver_still_never_trains_on_it()
    {
        // With α_Ch 0 only the Solver's loss moves the weights: they equal the step without the held-out item.
        var (family, query, answer) = HeldOutItem();
        var o = Options with { LearningRate = 1e-3, ChallengerWeight = 0, HeldOutQuery = HeldOutQuery.Score };
        var (scored, weights) = StepWith(BatchOn(Frontier, (family, query, [answer, "x"]), ("rev", "rev ab", ["ba", "ab"])), o, Frontier);
        var (_, expected) = StepWith(BatchOn(Frontier, ("rev", "rev ab", ["ba", "ab"])), o, Frontier);
        Assert.Equal(expected, weights);
        // the Challenger's rewards include it: V = [½, ½] (one answer right each), C = −V, A_Ch = [0, 0]
        var ch = scored.Log.SampleRecords.Where(r => r.Role == SampleRole.Challenger).Select(r => (r.Reward, SampleExtras.Read<ChallengerExtra>(r.ExtraJson)!)).ToList();
        Assert.Equal([(-0.5, true), (-0.5, false)], ch.Select(c => (c.Reward!.Value, c.Item2.HeldOut == true)));
        Assert.Equal(0.5, Metric(scored.Log, MetricNames.ChallengerHeldOutFrac));
    }

    [Fact]
    public void Refills_choose_groups_by_the_Solvers_whole_reward_and_never_a_held_out_query()
    {
        // S = R + w·R_Q: [1, 1 | 1, 1.5 | 0, 1], queries [a, b, c]; c is held out → only b trains the Solver.
        // By R alone b would be flat ([1, 1]) and c would be chosen.
        Assert.Equal([1], SelfPlayRecipe.SolverGroups([1, 1, 1, 1.5, 0, 1], 2, ["a", "b", "c"], q => q == "c"));
        Assert.Equal([2], SelfPlayRecipe.SolverGroups([1, 1, 1, 1, 0, 1], 2, ["a", "b", "c"], _ => false));
    }

    [Fact]
    public void Training_steps_leak_no_tensors()
    {
        var o = new SelfPlayOptions { Queries = 2, Answers = 2, LearningRate = 1e-5, EvalEvery = 1000, EvalPerSplit = 1, SampleEvery = 1, Threads = 1 };
        long Leftover(int steps)
        {
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            using (var policy = TinyBaseModel.Load())
            using (var reference = TinyBaseModel.Load())
            {
                var log = new RecordingRunLog();
                var domain = new TinyTasksRlDomain(partialCredit: true);
                new SelfPlayRecipe(o with { Steps = steps }, withQuality: true, domain, policy, reference, log)
                    .Train(new WinRateEvaluation(domain, reference, 1, 0.01, 1, log), CancellationToken.None);
            }
            GC.Collect(); GC.WaitForPendingFinalizers();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
        Leftover(1); // warm-up: one-time tables
        Assert.Equal(Leftover(1), Leftover(4));
    }
}
