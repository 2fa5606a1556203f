// The frontier testbed: in-distribution family splits at its evaluation levels plus a separate "ood" split, drawn only
// from the held-out eighth of the space that its training data (SFT and GRPO prompts) never touches, for any seed.
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTasksTestbedTests
{
    static readonly TinyTasksTestbed Testbed = TinyTasksTestbed.Frontier;

    [Fact]
    public void Evaluation_has_a_family_split_per_family_at_the_eval_levels_and_an_ood_split_above_the_training_levels()
    {
        var splits = Testbed.Evaluation(60);
        Assert.Equal([.. TinyTaskFamilies.All.Select(f => f.Name), "ood"], splits.Select(s => s.Name));
        var inDistribution = splits.Where(s => s.Name != "ood").ToList();
        Assert.Equal(420, inDistribution.Sum(s => s.Items.Count));               // 7 × 60 ≥ 400 for the win rate
        foreach (var split in inDistribution)
        {
            Assert.All(split.Items, i => Assert.Equal(split.Name, i.Family.Name()));
            Assert.All(split.Items, i => Assert.Contains(i.Level, Testbed.EvalLevels));
            Assert.All(split.Items.CountBy(i => i.Level), c => Assert.Equal(60 / Testbed.EvalLevels.Count, c.Value));
            Assert.Equal(60, split.Items.Select(i => i.Instruction).Distinct().Count());
        }
        var ood = splits.Single(s => s.Name == "ood");
        Assert.Equal(60, ood.Items.Count);
        Assert.All(ood.Items, i => Assert.True(i.Level > Testbed.TrainMaxLevel));
        Assert.True(EvalSplits.IsOutOfDistribution(ood.Name));
    }

    [Fact]
    public void Every_evaluation_item_of_any_seed_is_held_out_and_training_never_draws_one()
    {
        Assert.All(Testbed.Evaluation(30).Concat(Testbed.Evaluation(30, seed: 123)).SelectMany(s => s.Items),
            i => Assert.True(TinyTasksTestbed.IsHeldOut(i.Instruction)));
        var rng = new Random(5);
        Assert.All(Enumerable.Range(0, 2000).Select(_ => Testbed.TrainingSample(rng, TinyTaskLimits.MaxLevel)),
            i => Assert.False(TinyTasksTestbed.IsHeldOut(i.Instruction)));
        Assert.All(Enumerable.Range(0, 300).Select(_ => Testbed.TrainingSampleAt(rng, 4)), i => Assert.Equal(4, i.Level));
    }

    [Fact]
    public void The_held_out_share_is_an_eighth_of_levels_above_two_and_none_below()
    {
        var rng = new Random(3);
        var items = Enumerable.Range(0, 8000).Select(_ => TinyTaskGenerator.Generate(rng, 3 + rng.Next(4))).ToList();
        var share = items.Count(i => TinyTaskHeldOut.Contains(i.Instruction, i.Level)) / (double)items.Count;
        Assert.InRange(share, 0.11, 0.14);                                       // 1/8 = 0.125, ±4σ over 8,000 draws
        Assert.All(Enumerable.Range(0, 500).Select(_ => TinyTaskGenerator.Generate(rng, 1 + rng.Next(2))),
            i => Assert.False(TinyTaskHeldOut.Contains(i.Instruction, i.Level)));
    }

    [Fact]
    public void Another_eval_seed_draws_other_items_and_the_same_seed_the_same()
    {
        var a = Testbed.Evaluation(20).SelectMany(s => s.Items).Select(i => i.Instruction).ToList();
        Assert.Equal(a, Testbed.Evaluation(20).SelectMany(s => s.Items).Select(i => i.Instruction));
        var b = Testbed.Evaluation(20, seed: 99).SelectMany(s => s.Items).Select(i => i.Instruction).ToList();
        Assert.True(a.Intersect(b).Count() < a.Count / 10);
    }

    [Fact]
    public void The_testbed_domain_refuses_held_out_prompts_and_the_default_domain_keeps_its_own_rule()
    {
        var frontier = DomainCatalog.Default.Get<ISelfPlayGame>(Testbed.Id);
        var item = Testbed.Evaluation(10).First().Items.First().Instruction;
        Assert.Contains("held-out", frontier.CheckTrainingPrompt(item));
        Assert.Null(frontier.CheckTrainingPrompt("rev abc"));
        var defaultHeldOut = TinyTaskSplits.Evaluation().SelectMany(s => s.Items).First(i => i.Level >= 3).Instruction;
        Assert.Contains("held-out", DomainCatalog.Default.Get<ISelfPlayGame>("tinytasks").CheckTrainingPrompt(defaultHeldOut));
    }

    [Fact]
    public void The_headline_win_rate_leaves_the_ood_split_out()
    {
        // rev: 1 win, 1 tie; ood: 2 losses → overall over rev only: (1 + 1/2) / 2 = 0.75; ood has its own tally
        var domain = new TinyTasksRlDomain(partialCredit: false, testbed: Testbed);
        EvalPrompt[] prompts = [new("rev", "rev abcd"), new("rev", "rev abcde"), new("ood", "rev abcdefghab"), new("ood", "rev abcdefgh")];
        var result = WinRate.Judge(domain, prompts, ["dcba", "x", "x", "x"], ["x", "y", "bahgfedcba", "hgfedcba"], step: 1);
        Assert.Equal(new WinTally(1, 1, 0), result.Overall);
        Assert.Equal(new WinTally(0, 0, 2), result.PerSplit["ood"]);
        // each verdict carries the expected answer and both grades, for reviewers
        var v = result.Verdicts[0];
        Assert.Equal(("dcba", (bool?)true, (bool?)false), (v.Expected, v.TrainedCorrect, v.BaseCorrect));
    }

    [Fact]
    public void Identical_answers_say_whether_both_are_right()
    {
        var domain = new TinyTasksRlDomain(partialCredit: false, testbed: Testbed);
        EvalPrompt[] prompts = [new("rev", "rev abcd"), new("rev", "rev abcde")];
        var result = WinRate.Judge(domain, prompts, ["dcba", ""], ["dcba", ""], step: 1);
        Assert.Equal(["identical answers, both right", "identical answers, both wrong"], result.Verdicts.Select(r => r.Rationale));
        Assert.Equal("edcba", result.Verdicts[1].Expected);
    }

    [Fact]
    public void Training_prompts_from_a_minimum_level_come_only_from_its_levels_and_min_1_draws_as_before()
    {
        // GRPO's MinLevel: a curriculum on the levels the Solver half-solves (3..4 on this testbed)
        var rng = new Random(5);
        var drawn = Enumerable.Range(0, 400).Select(_ => Testbed.TrainingSample(rng, minLevel: 3, maxLevel: 4)).ToList();
        Assert.Equal([3, 4], drawn.Select(e => e.Level).Distinct().Order());
        Assert.DoesNotContain(drawn, e => TinyTasksTestbed.IsHeldOut(e.Instruction));
        // minimum 1 is the old draw, item for item (runs and resumes made before the option replay the same data)
        var (a, b) = (new Random(9), new Random(9));
        for (var i = 0; i < 200; i++)
            Assert.Equal(Testbed.TrainingSample(a, 4).Instruction, Testbed.TrainingSample(b, 1, 4).Instruction);
        Assert.Throws<ArgumentOutOfRangeException>(() => Testbed.TrainingSample(rng, 4, 3));

        var e = Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(new WebLab.Training.Methods.Grpo.GrpoMethod(), "tiny-cpu",
            new System.Text.Json.Nodes.JsonObject { ["minLevel"] = 5 }));   // the preset's MaxLevel is 4
        Assert.Equal(["maxLevel", "minLevel"], e.Errors.Keys.Order());
    }

    [Fact]
    public void The_headroom_testbed_judges_and_trains_only_its_families_with_the_frontier_items_of_each()
    {
        var headroom = TinyTasksTestbed.Headroom;
        Assert.Equal(Testbed.BaseFolder, headroom.BaseFolder);                  // the frontier base, judged where it has room
        var splits = headroom.Evaluation(140);
        Assert.Equal(["sort", "cnt", "dedup", "ood"], splits.Select(s => s.Name));
        Assert.Equal(420, splits.Where(s => s.Name != "ood").Sum(s => s.Items.Count));   // 3 × 140 ≥ 400
        // a family's split is the frontier testbed's, item for item, at any seed (its results compare directly)
        foreach (var seed in new[] { TinyTaskSplits.EvaluationSeed, 9000001 })
        {
            var frontier = Testbed.Evaluation(140, seed).ToDictionary(s => s.Name);
            Assert.All(headroom.Evaluation(140, seed).Where(s => s.Name != "ood"),
                s => Assert.Equal(frontier[s.Name].Items, s.Items));
        }
        var ood = splits.Single(s => s.Name == "ood");
        Assert.Equal([TinyTaskFamily.Sort, TinyTaskFamily.Cnt, TinyTaskFamily.Dedup], ood.Items.Select(i => i.Family).Distinct().Order());
        Assert.All(ood.Items, i => Assert.True(i.Level > headroom.TrainMaxLevel));

        // training prompts (GRPO) and the Challenger's task slot keep to the same families; never a held-out item
        var rng = new Random(5);
        var drawn = Enumerable.Range(0, 600).Select(_ => headroom.TrainingSample(rng, 3, 4)).ToList();
        Assert.Equal([TinyTaskFamily.Sort, TinyTaskFamily.Cnt, TinyTaskFamily.Dedup], drawn.Select(e => e.Family).Distinct().Order());
        Assert.DoesNotContain(drawn, e => TinyTasksTestbed.IsHeldOut(e.Instruction));
        var rl = new TinyTasksRlDomain(partialCredit: false, testbed: headroom);
        Assert.Equal(["sort", "cnt", "dedup"], rl.Tasks(useTaskSlot: true));
        Assert.Equal(7, new TinyTasksRlDomain(partialCredit: false, testbed: Testbed).Tasks(useTaskSlot: true).Count);
        Assert.Equal(TinyTaskFamilies.All.Count, Testbed.FamilyList.Count);
    }
}
