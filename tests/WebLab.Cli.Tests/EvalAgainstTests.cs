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
    public void Items_earlier_seeds_drew_are_left_out_and_none_else()
    {
        using var frontier = TinyBaseModel.LoadFrom(TinyBaseModel.TestbedPath(TinyTasksTestbed.Headroom));
        // every item of seed 9000001 at 12 a split: its own evaluation is left with nothing
        var drawn = EvalVerb.DrawnBy([9000001], [12]);
        Assert.Equal(0, EvalVerb.Versus(frontier, frontier, Headroom, perSplit: 12, evalSeed: 9000001, exclude: drawn).Overall.Count);
        // another seed keeps exactly its items that 9000001 did not draw (on any TinyTasks domain)
        var items = Headroom.EvaluationSplits(40, 7000001).Where(s => !EvalSplits.IsOutOfDistribution(s.Name)).SelectMany(s => s.Items).Select(i => i.Instruction).ToList();
        var wide = EvalVerb.DrawnBy([9000001], [12, 140]);
        var kept = items.Count(i => !wide.Contains(i));
        Assert.InRange(items.Count - kept, 1, items.Count - 1);               // some shared at these sizes, not all
        Assert.Equal(kept, EvalVerb.Versus(frontier, frontier, Headroom, perSplit: 40, evalSeed: 7000001, exclude: wide).Overall.Count);
        Assert.Empty(EvalVerb.DrawnBy([], [60]));

        var e = Assert.Throws<CliException>(() => EvalVerb.Run(new Args("eval", ["--model", TinyBaseModel.TestbedPath(TinyTasksTestbed.Headroom),
            "--domain", "tinytasks-headroom", "--exclude-seeds", "9000001"])));
        Assert.Equal("eval: --answer-seed and --exclude-seeds go with --against", e.Message);
        e = Assert.Throws<CliException>(() => EvalVerb.Run(new Args("eval", ["--model", TinyBaseModel.TestbedPath(TinyTasksTestbed.Headroom),
            "--domain", "tinytasks-headroom", "--against", TinyBaseModel.TestbedPath(TinyTasksTestbed.Headroom), "--exclude-seeds", "9000001,x"])));
        Assert.Equal("eval: --exclude-seeds: 'x' is not a whole number ≥ 0", e.Message);
    }

    [Fact]
    public void A_missing_against_folder_is_a_clear_error()
    {
        var e = Assert.Throws<CliException>(() => EvalVerb.Run(new Args("eval", ["--model", TinyBaseModel.TestbedPath(TinyTasksTestbed.Headroom),
            "--domain", "tinytasks-headroom", "--against", "/no/such/model"])));
        Assert.Contains("--against", e.Message);
    }
}
