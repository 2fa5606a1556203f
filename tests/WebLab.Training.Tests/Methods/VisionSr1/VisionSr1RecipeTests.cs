// The vision methods' recipe on TinyScenes with a fresh tiny VLM: one step logs every metric the issue names (Vision-SR1
// with its second pass, Vision-R1 without), rewards and advantages follow the reward table and the group z-score, the
// update moves the policy (vision tower included) and not the reference, the evaluation logs accuracy and LSR per split,
// and steps leak no tensors.
using TorchSharp;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.VisionSr1;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.VisionSr1;

public sealed class VisionSr1RecipeTests
{
    static readonly TinyScenesDomain Domain = new();
    static readonly VisionSr1Options Options = new() { Prompts = 2, Answers = 3, UpdatesPerRollout = 2, LearningRate = 1e-3, MaxResponseTokens = 24, Seed = 3 };

    static (IPolicy Policy, IPolicy Reference) Models()
    {
        manual_seed(5);
        var policy = Domain.NewModel(new ModelShape(1, 32, 2, 1), "cpu");
        manual_seed(5);
        var reference = Domain.NewModel(new ModelShape(1, 32, 2, 1), "cpu");
        foreach (var p in reference.parameters()) p.requires_grad = false;
        return (policy, reference);
    }

    [Theory]
    [InlineData(VisionArm.SelfReward), InlineData(VisionArm.SeeThinkNoSelfReward), InlineData(VisionArm.ChainOfThought)]
    public void One_step_logs_the_metrics_and_moves_the_policy_but_not_the_reference(VisionArm arm)
    {
        var (policy, reference) = Models();
        using var _p = policy;
        using var _r = reference;
        var log = new RecordingRunLog();
        bool selfReward = arm == VisionArm.SelfReward;
        var format = new VisionSr1Method(arm).Format;
        var recipe = new VisionSr1Recipe(Options with { SampleEvery = 1 }, selfReward, format, Domain, policy, reference, log);

        var (rows, advantages, prompts) = recipe.Play(1);
        Assert.Equal(6, rows.Count);
        Assert.All(rows, r => Assert.Equal(VisionSr1Reward.Score(r.Text, format, r.SecondPass, r.Item.Answer), r.Score));
        // the second pass reads every written description, and nothing else (a missing one earns no description reward)
        Assert.All(rows, r => Assert.Equal(selfReward && !r.Missing, r.SecondPass is not null));
        foreach (var (group, k) in rows.Chunk(3).Select((g, k) => (g, k)))
            Assert.Equal(VisionSr1Advantages.ZScore(group.Select(r => r.Score.Overall).ToList()), advantages[(3 * k)..(3 * k + 3)]);

        using var optimizer = optim.AdamW(policy.parameters(), lr: 1e-3);
        var before = Snapshot(policy);
        var referenceBefore = Snapshot(reference);
        policy.train();
        // a fresh model earns the same reward on every response (zero advantages, and no KL at the start): the update is
        // checked with advantages of its own, one better and one worse response a group
        using (NewDisposeScope()) recipe.Update(rows, [1, -1, 0, 1, -1, 0], prompts, optimizer);
        var after = Snapshot(policy);
        Assert.Contains(before.Keys, k => k.StartsWith("vision_tower") && !before[k].SequenceEqual(after[k]));
        Assert.Contains(before.Keys, k => k.StartsWith("multi_modal_projector") && !before[k].SequenceEqual(after[k]));
        Assert.All(referenceBefore, kv => Assert.Equal(kv.Value, Snapshot(reference)[kv.Key]));
        recipe.Step(1, optimizer);

        string[] expected = [MetricNames.RewardOverall, MetricNames.RewardAccuracy, MetricNames.RewardFormat, MetricNames.Kl, MetricNames.Loss,
            MetricNames.ClipFrac, MetricNames.Entropy, MetricNames.LengthResponse, MetricNames.GroupsZeroStdFrac];
        var names = log.MetricPoints.Select(p => p.Name).ToHashSet();
        Assert.All(expected, n => Assert.Contains(n, names));
        Assert.Equal(selfReward, names.Contains(MetricNames.RewardDescription));
        Assert.Equal(format == ResponseFormat.SeeThink, names.Contains(MetricNames.DescriptionMissingFrac));
        Assert.All(log.MetricPoints, p => Assert.True(double.IsFinite(p.Value), $"{p.Name} = {p.Value}"));
        var sample = SampleExtras.Read<VisualRolloutExtra>(log.SampleRecords.First().ExtraJson)!;
        Assert.StartsWith(SceneCode.Scheme, sample.Image);
    }

    static Dictionary<string, float[]> Snapshot(IPolicy model) =>
        model.parameters().Select((p, i) => (p, i)).ToDictionary(x => ((nn.Module)model).named_parameters().ElementAt(x.i).name, x => x.p.detach().data<float>().ToArray());

    [Fact]
    public void The_evaluation_judges_see_think_answers_by_both_judges_and_chain_of_thought_answers_by_accuracy_alone()
    {
        var (policy, reference) = Models();
        using var _p = policy;
        using var _r = reference;
        var think = new RecordingRunLog();
        new VisionEvaluation(Domain, perSplit: 2, TinyScenesSplits.DefaultEvalSeed, ResponseFormat.Think, 16, think).Run(policy, reference, 7);
        var names = think.MetricPoints.Select(p => p.Name).ToHashSet();
        Assert.Contains(MetricNames.EvalAccuracy, names);
        Assert.Contains(MetricNames.EvalAccuracyOf(TinyScenesSplits.CounterPrior), names);
        Assert.DoesNotContain(names, n => n.StartsWith(MetricNames.EvalLsr, StringComparison.Ordinal));   // no description to judge
        Assert.Equal(14, think.SampleRecords.Count);                      // 7 splits × 2
        Assert.All(think.SampleRecords, s => Assert.Null(SampleExtras.Read<VisualEvalExtra>(s.ExtraJson)!.Shortcut));

        var seeThink = new RecordingRunLog();
        new VisionEvaluation(Domain, perSplit: 2, TinyScenesSplits.DefaultEvalSeed, ResponseFormat.SeeThink, 16, seeThink).Run(policy, reference, 7);
        names = seeThink.MetricPoints.Select(p => p.Name).ToHashSet();
        Assert.All(new[] { MetricNames.EvalLsr, MetricNames.EvalLsrOracle, MetricNames.EvalLsrStartModel, MetricNames.EvalDescriptionMissingFrac,
            MetricNames.EvalLsrOf(TinyScenesSplits.CounterPrior) }, n => Assert.Contains(n, names));
        Assert.All(seeThink.MetricPoints, p => Assert.InRange(p.Value, 0, 1));
        // a missing description is insufficient to both judges (the start model is not even asked); every sample's shortcut
        // is a right answer the oracle (the default judge) finds insufficient
        Assert.All(seeThink.SampleRecords.Select(s => (s.Correct, Extra: SampleExtras.Read<VisualEvalExtra>(s.ExtraJson)!)), s =>
        {
            if (s.Extra.Description is null)
                Assert.Equal((false, false, null), (s.Extra.OracleSufficient, s.Extra.StartModelSufficient, s.Extra.JudgeAnswer));
            else Assert.NotNull(s.Extra.JudgeAnswer);
            Assert.Equal(s.Correct == true && s.Extra.OracleSufficient != true, s.Extra.Shortcut);
        });
    }

    [Fact]
    public void Each_judge_reads_what_a_description_states_and_a_missing_one_is_insufficient()
    {
        // one count item; the start model as judge is the fresh model (answers nothing right), the oracle reads the objects
        var item = new VisualItem("how many circles?", "2", "tinyscenes:x", "top: big red circle. center: small blue circle.");
        var complete = new VisionEvaluation.Case("count", item, "", Correct: true, Formatted: true, item.Truth, "\\boxed{2}", true, true, false);
        var missing = complete with { Description = null, JudgeAnswer = null, OracleSufficient = false, StartModelSufficient = false };
        var judgesDisagree = complete with { OracleSufficient = true, StartModelSufficient = false };
        Assert.Equal(new ShortcutCase(true, true), complete.By(LsrJudge.Oracle));
        Assert.Equal(new ShortcutCase(true, false), missing.By(LsrJudge.Oracle));
        Assert.Equal(new ShortcutCase(true, false), missing.By(LsrJudge.StartModel));
        Assert.Equal((true, false), (judgesDisagree.By(LsrJudge.Oracle).DescriptionSufficient, judgesDisagree.By(LsrJudge.StartModel).DescriptionSufficient));
        // a domain without an oracle falls back on the start model
        Assert.False((judgesDisagree with { OracleSufficient = null }).By(LsrJudge.Oracle).DescriptionSufficient);
    }

    [Fact]
    public void Steps_leak_no_tensors()
    {
        long Leftover(int steps)
        {
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            var (policy, reference) = Models();
            using (policy)
            using (reference)
            using (var optimizer = optim.AdamW(policy.parameters(), lr: 1e-3))
            {
                var recipe = new VisionSr1Recipe(Options, true, ResponseFormat.SeeThink, Domain, policy, reference, new RecordingRunLog());
                for (int s = 1; s <= steps; s++) recipe.Step(s, optimizer);
            }
            GC.Collect(); GC.WaitForPendingFinalizers();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
        Leftover(1);
        Assert.Equal(Leftover(1), Leftover(3));
    }
}
