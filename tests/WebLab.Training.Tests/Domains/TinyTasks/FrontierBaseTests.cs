// The frontier testbed's shipped base: it knows its easy levels, is half-way on the levels it is judged on (room for RL
// to win, and to lose), does worse beyond its training range, and writes valid Challenger queries.
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class FrontierBaseTests
{
    [Fact]
    public void Frontier_base_is_imperfect_on_its_evaluation_levels_and_worse_beyond_them()
    {
        var domain = (TinyTasksDomain)DomainCatalog.Default.Get(TinyTasksTestbed.Frontier.Id);
        using var model = domain.LoadBaseModel("cpu");
        var acc = TinyTasksEvaluator.Accuracy(model, domain.EvaluationSplits(60));
        // measured when it was chosen (README): 37.9% over the 420 in-distribution items, 15.0% on ood
        Assert.InRange(acc.Overall, 0.25, 0.55);
        Assert.True(acc.PerSplit["ood"] < acc.Overall, $"ood {acc.PerSplit["ood"]:P1} vs in-distribution {acc.Overall:P1}");
        var easy = TinyTasksEvaluator.Accuracy(model, [TinyTaskSplits.Evaluation(60).Single(s => s.Name == TinyTaskSplits.EasySplit)]);
        Assert.True(easy.PerSplit[TinyTaskSplits.EasySplit] >= 0.8, $"easy {easy.PerSplit[TinyTaskSplits.EasySplit]:P1}");
        var valid = TinyTasksEvaluator.ChallengerSamples(model, 100, seed: 5).Average(s => s.Valid ? 1.0 : 0.0);
        Assert.True(valid >= 0.9, $"{valid:P1} valid challenger queries");
    }
}
