// GRPO must learn: on an imported handful of prompts the base model half-solves, the training reward has to rise.
// This guards the wiring around the (separately hand-checked) loss: row order, advantages, sampling vs scoring.
using WebLab.Training.Experiments;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Tests.Methods.Grpo;

public class GrpoRecipeTests
{
    [Fact]
    public void Training_reward_rises_on_a_fixed_prompt_set()
    {
        // level-4 words of the frontier testbed: its base answers these right only some of the time at temperature 1
        var testbed = TinyTasksTestbed.Frontier;
        var rng = new Random(11);
        var prompts = Enumerable.Range(0, 8).Select(_ => testbed.TrainingSampleAt(rng, 4).Instruction).ToArray();
        var domain = new TinyTasksRlDomain(partialCredit: true, testbed: testbed);
        var o = new GrpoOptions { Steps = 40, Prompts = 8, Answers = 16, LearningRate = 3e-4, Beta = 0, EvalEvery = 1000, EvalPerSplit = 1, SampleEvery = 10 };
        using var policy = TinyBaseModel.LoadFrom(TinyBaseModel.TestbedPath(testbed));
        using var reference = TinyBaseModel.LoadFrom(TinyBaseModel.TestbedPath(testbed));
        var log = new RecordingRunLog();
        new GrpoRecipe(o, domain, new PromptSet(prompts), policy, reference, log).Train(new WinRateEvaluation(domain, reference, 1, 0.01, 1, log), CancellationToken.None);
        // the imported set is what it trained on: every stored rollout answers one of its prompts, an epoch per iteration
        Assert.All(log.SampleRecords.Where(s => s.Role == SampleRole.Solver), s => Assert.Contains(s.Prompt, prompts));
        Assert.Equal(40, log.Series("data/epoch").Last().Value);
        var reward = log.Series("solver/reward_mean").Select(p => p.Value).ToList();
        Console.WriteLine(string.Join(" ", reward.Select(r => r.ToString("F2"))));
        double first = reward.Take(5).Average(), last = reward.TakeLast(5).Average();
        Assert.True(last > first + 0.1, $"reward {first:F3} → {last:F3}");
    }

    [Fact]
    public void Dynamic_sampling_keeps_only_groups_whose_rewards_differ()
    {
        var o = new GrpoOptions { Steps = 3, Prompts = 6, Answers = 4, LearningRate = 1e-5, SamplingRounds = 3, SampleEvery = 1,
            EvalEvery = 1000, EvalPerSplit = 1 };
        // levels 1–4: the shipped base solves most of 1–2 and little of 3–4, so some groups carry a signal and some do not
        var domain = new TinyTasksRlDomain(partialCredit: true, trainingMaxLevel: 4);
        using var policy = TinyBaseModel.Load();
        using var reference = TinyBaseModel.Load();
        var log = new RecordingRunLog();
        new GrpoRecipe(o, domain, domain, policy, reference, log).Train(new WinRateEvaluation(domain, reference, 1, 0.01, 1, log), CancellationToken.None);
        var kept = log.Series("groups/kept");
        Assert.Equal(3, kept.Count);
        Assert.All(kept, k => Assert.InRange(k.Value, 1, 6));
        // many groups are all right (or all equally wrong); none of those is kept
        foreach (var step in log.SampleRecords.Where(s => s.Role == SampleRole.Solver).GroupBy(s => s.Step))
        {
            var groups = step.GroupBy(s => System.Text.Json.JsonDocument.Parse(s.ExtraJson!).RootElement.GetProperty("query").GetInt32()).ToList();
            Assert.Equal(kept.Single(k => k.Step == step.Key).Value, groups.Count);
            Assert.All(groups, grp => Assert.True(grp.Select(s => s.Reward).Distinct().Count() > 1, $"step {step.Key}: a kept group has equal rewards"));
        }
        Assert.True(log.Series("groups/zero_std_frac").Any(p => p.Value > 0), "the sampled groups include some without signal");
    }
}
