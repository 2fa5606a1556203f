// The shipped tiny base model: good at what it was trained on, clearly worse beyond it, and a valid Challenger.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyBaseModelTests
{
    [Fact]
    public void Base_model_is_accurate_on_easy_and_clearly_worse_on_hard_levels()
    {
        using var model = TinyBaseModel.Load();
        // 600 items per split rather than the default 60: the easy accuracy then has a standard error of about 1%
        var acc = TinyTasksEvaluator.Accuracy(model, TinyTaskSplits.Evaluation(600));
        Assert.True(acc.PerSplit[TinyTaskSplits.EasySplit] >= 0.90, $"easy accuracy {acc.PerSplit[TinyTaskSplits.EasySplit]:P1}");
        var hard = acc.Answers.Where(a => a.Split != TinyTaskSplits.EasySplit && a.Item.Level >= 3).ToList();
        Assert.Equal(7 * 400, hard.Count); // levels 3..6, 100 each, 7 family splits
        var hardAccuracy = hard.Average(a => a.Correct ? 1.0 : 0.0);
        Assert.True(hardAccuracy <= 0.5, $"hard-level accuracy {hardAccuracy:P1}: no room left for self-play");
        Assert.All(acc.PerSplit.Where(kv => kv.Key != TinyTaskSplits.EasySplit), kv => Assert.True(kv.Value < 0.8, $"{kv.Key}: {kv.Value:P1}"));
    }

    [Fact]
    public void Base_model_in_challenger_mode_writes_valid_instructions()
    {
        using var model = TinyBaseModel.Load();
        var samples = TinyTasksEvaluator.ChallengerSamples(model, 200, seed: 5);
        var valid = samples.Average(s => s.Valid ? 1.0 : 0.0);
        Assert.True(valid >= 0.95, $"{valid:P1} valid; e.g. {string.Join(" | ", samples.Where(s => !s.Valid).Take(5).Select(s => s.Instruction))}");
    }

    [Fact]
    public void An_overriding_base_folder_is_used_and_a_wrong_one_named_in_the_error()
    {
        Assert.Equal(TinyBaseModel.ShippedPath, TinyBaseModel.PathFor(null));
        Assert.Equal(TinyBaseModel.ShippedPath, TinyBaseModel.PathFor(""));
        using var temp = new TempFolder("weblab-no-base-");
        var missing = temp.Combine("no-base");                             // never made
        Assert.Equal(missing, TinyBaseModel.PathFor(missing));
        var e = Assert.Throws<FileNotFoundException>(() => TinyBaseModel.LoadFrom(missing));
        Assert.Contains(TinyBaseModel.OverrideVariable, e.Message);
        Assert.Contains(missing, e.Message);
        using var model = TinyBaseModel.LoadFrom(TinyBaseModel.PathFor(null));
        Assert.True(model.parameters().Any());
    }
}
