// Evaluation splits are reproducible, balanced over levels, held out from training; the SFT sampler stays EASY.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskSplitsTests
{
    [Fact]
    public void Evaluation_gives_the_same_items_twice()
    {
        var first = TinyTaskSplits.Evaluation();
        var second = TinyTaskSplits.Evaluation();
        Assert.Equal(first.Select(s => s.Name), second.Select(s => s.Name));
        for (var s = 0; s < first.Count; s++) Assert.Equal(first[s].Items, second[s].Items);
    }

    [Fact]
    public void Default_evaluation_has_420_family_items_balanced_over_six_levels_plus_easy()
    {
        // 7 families × 60 = 420, each family 10 items per level 1..6; the easy split has 60 items at levels 1..2.
        var splits = TinyTaskSplits.Evaluation();
        Assert.Equal([.. TinyTaskFamilies.All.Select(f => f.Name), TinyTaskSplits.EasySplit], splits.Select(s => s.Name));
        var families = splits.Where(s => s.Name != TinyTaskSplits.EasySplit).ToList();
        Assert.Equal(420, families.Sum(s => s.Items.Count));
        foreach (var split in families)
        {
            Assert.All(split.Items, i => Assert.Equal(split.Name, i.Family.Name()));
            Assert.All(split.Items.CountBy(i => i.Level), c => Assert.Equal(10, c.Value));
            Assert.Equal(60, split.Items.Select(i => i.Instruction).Distinct().Count());
        }
        var easy = splits.Single(s => s.Name == TinyTaskSplits.EasySplit);
        Assert.Equal(60, easy.Items.Count);
        Assert.All(easy.Items, i => Assert.InRange(i.Level, 1, TinyTaskLimits.EasyMaxLevel));
        Assert.Equal(TinyTaskFamilies.All.Count, easy.Items.Select(i => i.Family).Distinct().Count());
    }

    [Fact]
    public void Training_samples_stay_easy_by_default_and_never_draw_held_out_items()
    {
        var rng = new Random(11);
        Assert.All(Enumerable.Range(0, 300).Select(_ => TinyTaskSplits.TrainingSample(rng)),
            i => Assert.InRange(i.Level, 1, TinyTaskLimits.EasyMaxLevel));
        Assert.All(Enumerable.Range(0, 300).Select(_ => TinyTaskSplits.TrainingSample(rng, TinyTaskLimits.MaxLevel)),
            i => Assert.False(TinyTaskSplits.IsHeldOut(i.Instruction)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(6)]
    public void Training_samples_at_a_level_have_that_level_and_are_never_held_out(int level)
    {
        var rng = new Random(12);
        var items = Enumerable.Range(0, 300).Select(_ => TinyTaskSplits.TrainingSampleAt(rng, level)).ToList();
        Assert.All(items, i => Assert.Equal(level, i.Level));
        Assert.All(items, i => Assert.Equal(level, TinyTaskDifficulty.Estimate(TinyTaskParser.Parse(i.Instruction).Task!)));
        if (level > TinyTaskLimits.EasyMaxLevel) Assert.All(items, i => Assert.False(TinyTaskSplits.IsHeldOut(i.Instruction)));
        Assert.Throws<ArgumentOutOfRangeException>(() => TinyTaskSplits.TrainingSampleAt(rng, 7));
    }

    [Fact]
    public void Training_sampler_is_deterministic_by_seed()
    {
        static List<TinyTaskExample> Draw(int seed)
        {
            var rng = new Random(seed);
            return Enumerable.Range(0, 50).Select(_ => TinyTaskSplits.TrainingSample(rng)).ToList();
        }
        Assert.Equal(Draw(4), Draw(4));
    }
}
