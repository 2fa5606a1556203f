// `weblab eval --against`: a model's win rate against another on a testbed's held-out items, judged as a run's
// evaluation judges them, so a trained run's result can be rechecked on an evaluation seed no one has looked at.
using WebLab.Cli;
using WebLab.Cli.Verbs;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Cli.Tests;

public sealed class EvalAgainstTests
{
    static readonly TinyTasksDomain Headroom = (TinyTasksDomain)DomainCatalog.Default.Get(TinyTasksTestbed.Headroom.Id);

    [Fact]
    public void A_model_against_itself_ties_everywhere_and_against_a_weaker_one_wins_by_its_extra_right_answers()
    {
        using var frontier = TinyBaseModel.LoadFrom(TinyBaseModel.TestbedPath(TinyTasksTestbed.Headroom));
        using var shipped = TinyBaseModel.Load();                                       // levels 1–2 only

        var self = EvalVerb.Versus(frontier, frontier, Headroom, perSplit: 12, evalSeed: 9000001);
        Assert.Equal(new WinTally(0, 36, 0), self.Overall);                            // sort, cnt, dedup × 12; ood apart
        Assert.Equal(["sort", "cnt", "dedup", "ood"], self.PerSplit.Keys);

        // the verifier judges: a win is trained right and the other wrong, so W − L is the difference in right answers
        var r = EvalVerb.Versus(frontier, shipped, Headroom, perSplit: 12, evalSeed: 9000001);
        var splits = Headroom.EvaluationSplits(12, 9000001).Where(s => !EvalSplits.IsOutOfDistribution(s.Name)).ToList();
        int Right(Training.Models.IPolicy m) => TinyTasksEvaluator.Accuracy(m, splits).Answers.Count(a => a.Correct);
        Assert.Equal(Right(frontier) - Right(shipped), r.Overall.Wins - r.Overall.Losses);
        Assert.True(r.Overall.Wins > r.Overall.Losses, $"the levels 1–4 base should beat the levels 1–2 one on levels 3–4: {r.Overall}");
    }

    [Fact]
    public void A_missing_against_folder_is_a_clear_error()
    {
        var e = Assert.Throws<CliException>(() => EvalVerb.Run(new Args("eval", ["--model", TinyBaseModel.TestbedPath(TinyTasksTestbed.Headroom),
            "--domain", "tinytasks-headroom", "--against", "/no/such/model"])));
        Assert.Contains("--against", e.Message);
    }
}
