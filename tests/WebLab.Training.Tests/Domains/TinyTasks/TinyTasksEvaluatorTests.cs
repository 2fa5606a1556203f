// Sampled answers for pass@k: at temperature 0 every sample is the greedy answer, so each item is right k times or never.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTasksEvaluatorTests
{
    [Fact]
    public void Samples_at_temperature_zero_agree_with_the_greedy_answers()
    {
        using var model = TinyBaseModel.Load();
        var splits = TinyTaskSplits.Evaluation(6);                       // 48 items, levels 1..6 in every family
        var greedy = TinyTasksEvaluator.Accuracy(model, splits);
        var sampled = TinyTasksEvaluator.SampledRight(model, splits, k: 3, temperature: 0, seed: 1);
        Assert.Equal(greedy.Answers.Select(a => a.Item.Instruction), sampled.Select(s => s.Item.Instruction));
        Assert.Equal(greedy.Answers.Select(a => a.Correct ? 3 : 0), sampled.Select(s => s.Right));
        Assert.Contains(sampled, s => s.Right == 0);                     // both outcomes occur, so the check can fail
        Assert.Contains(sampled, s => s.Right == 3);
    }

    [Fact]
    public void Samples_at_temperature_one_differ_between_seeds_and_repeat_for_one()
    {
        using var model = TinyBaseModel.Load();
        var splits = TinyTaskSplits.Evaluation(12);
        var a = TinyTasksEvaluator.SampledRight(model, splits, k: 8, temperature: 1, seed: 1).Select(s => s.Right).ToArray();
        var b = TinyTasksEvaluator.SampledRight(model, splits, k: 8, temperature: 1, seed: 1).Select(s => s.Right).ToArray();
        var c = TinyTasksEvaluator.SampledRight(model, splits, k: 8, temperature: 1, seed: 2).Select(s => s.Right).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.All(a, r => Assert.InRange(r, 0, 8));
    }
}
