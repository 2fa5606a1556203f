// SFT's TinyTasks examples: the tail levels above the training maximum, and which role each example teaches.
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTasksSupervisedTests
{
    [Fact]
    public void Tail_levels_halve_per_level_above_the_maximum()
    {
        var rng = new Random(5);
        var counts = new int[7];
        for (int i = 0; i < 80_000; i++) counts[TinyTasksSupervised.TailLevel(rng, 2)]++;
        // from maxLevel 2: level 3 ½, 4 ¼, 5 ⅛, 6 the remaining ⅛; never 1 or 2
        Assert.Equal(0, counts[1] + counts[2]);
        Assert.InRange(counts[3] / 80_000.0, 0.49, 0.51);
        Assert.InRange(counts[4] / 80_000.0, 0.24, 0.26);
        Assert.InRange(counts[5] / 80_000.0, 0.115, 0.135);
        Assert.InRange(counts[6] / 80_000.0, 0.115, 0.135);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(6, TinyTasksSupervised.TailLevel(rng, 5)));
    }

    [Fact]
    public void Challenger_share_decides_the_role_of_each_example()
    {
        var tok = TinyTasksTokenizer.Instance;
        var rng = new Random(3);
        // share 0: every example is a Solver one (<s><solver>…=, answer then </s>); share 1: every one a Challenger one
        Assert.All(Enumerable.Range(0, 50).Select(_ => TinyTasksSupervised.Example(rng, new SupervisedSettings(2, 0, 0))),
            e => Assert.Equal((tok.BosId, tok.SolverId, tok.SeparatorId, tok.EosId), (e.Prompt.Tokens[0], e.Prompt.Tokens[1], e.Prompt.Tokens[^1], e.Target[^1])));
        Assert.All(Enumerable.Range(0, 50).Select(_ => TinyTasksSupervised.Example(rng, new SupervisedSettings(2, 0, 1))),
            e => Assert.Equal((tok.BosId, tok.ChallengerId, tok.EosId), (e.Prompt.Tokens[0], e.Prompt.Tokens[1], e.Target[^1])));
    }
}
