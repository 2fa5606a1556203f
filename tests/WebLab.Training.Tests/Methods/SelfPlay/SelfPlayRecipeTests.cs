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
    static SelfPlayBatch Batch(params (string Family, string Query, string[] Answers)[] rows) => new(
        [.. rows.Select(r => (string?)r.Family)],
        [.. rows.Select(r => Domain.ChallengerPrompt(r.Family))],
        [.. rows.Select(r => Tok.ChallengerTarget(r.Family, r.Query))],
        [.. rows.Select(r => r.Query)],
        [.. rows.SelectMany(r => r.Answers.Select(a => new Rollout(r.Query, Domain.SolverPrompt(r.Query), Tok.SolverTarget(a), a, Stopped: true)))],
        GeneratedTokens: 0);

    /// <summary>Runs Update on <paramref name="batch"/> (policy and reference both the shipped base) and returns the log and
    /// the sequence log-probs of the answers and of the queries under the policy before and after the step.</summary>
    static (RecordingRunLog Log, double[] AnswersBefore, double[] AnswersAfter, double[] QueriesBefore, double[] QueriesAfter) Step(
        SelfPlayBatch batch, SelfPlayOptions o)
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
            new SelfPlayRecipe(o, withQuality: false, Domain, policy, reference, log).Update(1, batch, optimizer, Stopwatch.StartNew());
        Assert.Equal(refBefore, reference.parameters().First().data<float>().ToArray());   // the reference stays frozen
        return (log, answersBefore, Answers(), queriesBefore, Queries());
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

        var solvers = log.SampleRecords.Where(s => s.Role == SampleRoles.Solver).Select(s => (s.Reward, SampleExtras.Read<SolverExtra>(s.ExtraJson)!)).ToList();
        Assert.Equal([(1.0, 0, 0, 0.5), (0.0, 0, 1, -0.5), (1.0, 1, 0, 0.0), (1.0, 1, 1, 0.0)],
            solvers.Select(s => (s.Reward!.Value, s.Item2.Query, s.Item2.Answer, s.Item2.Advantage)));
        var challengers = log.SampleRecords.Where(s => s.Role == SampleRoles.Challenger).Select(s => SampleExtras.Read<ChallengerExtra>(s.ExtraJson)!).ToList();
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

        var challengers = log.SampleRecords.Where(s => s.Role == SampleRoles.Challenger).Select(s => (s.Reward, SampleExtras.Read<ChallengerExtra>(s.ExtraJson)!)).ToList();
        Assert.Equal([(-1.0, -0.5), (0.0, 0.5)], challengers.Select(c => (c.Reward!.Value, c.Item2.Advantage)));
        Assert.Equal(1.0, Metric(log, MetricNames.GroupsZeroStdFrac));
        Assert.Equal((0.0, 0.0), (Metric(log, MetricNames.KlChallenger), Metric(log, MetricNames.LossChallenger)));
        var gain = (after[1] - before[1]) - (after[0] - before[0]);
        Assert.True(gain > 0, $"log π(add 1 2) − log π(rev ab) changed by {gain}");
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
                    .Train(new EvaluationLoop(domain, reference, 1, 0.01, 1, log), CancellationToken.None);
            }
            GC.Collect(); GC.WaitForPendingFinalizers();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
        Leftover(1); // warm-up: one-time tables
        Assert.Equal(Leftover(1), Leftover(4));
    }
}
