// TEST-ONLY method, added as ARCHITECTURE.md tells a contributor to add one: this folder (options, method, recipe) and one
// line in Extensions/Registered.cs (as a built-in method's line in MethodCatalog.BuiltInMethods). It needs one view of its
// domain, an evaluator, and "trains" nothing: each step it nudges the base model's weights by a seeded random direction
// scaled by the learning rate, and every EvalEvery steps it logs the domain's evaluation; at the end, a final checkpoint.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using static TorchSharp.torch;

namespace WebLab.Web.Tests.Extensions.FakeMethod;

public sealed record FakeOptions : TrainingOptions
{
    [Description("Steps (one nudge each)."), Range(1, 1_000)]
    public override int Steps { get; init; } = 4;

    [Description("Size of each nudge."), Range(0.0, 1.0)]
    public override double LearningRate { get; init; } = 1e-3;

    [Description("Evaluate every this many steps, and at the end."), Range(1, 1_000)]
    public override int EvalEvery { get; init; } = 2;
}

public sealed class FakeMethod : IExperimentMethod<FakeOptions>
{
    public const string Id = "fake-method";

    public string Name => Id;
    public string Title => "Fake method (test)";
    public string Description => "Nudges the base model at random and logs its domain's evaluation. Test-only.";
    public string HeadlineMetric => Extensions.FakeDomain.FakeDomain.Metric;
    public IReadOnlyDictionary<string, FakeOptions> OptionPresets { get; } = new Dictionary<string, FakeOptions>
    {
        [PresetNames.TinyCpu] = new() { Domain = Extensions.FakeDomain.FakeDomain.Id, EvalPerSplit = 3 },
    };

    public long TotalSteps(FakeOptions o) => o.Steps;

    public DomainCapability Needs(FakeOptions o) => DomainCapability.Evaluator;

    public void Run(ExperimentContext context, FakeOptions o, CancellationToken ct)
    {
        var domain = context.DomainAs<IEvaluator>();
        manual_seed(o.Seed);
        using var model = domain.LoadBaseModel(context.Device);
        StepLoop.Run(0, o.Steps, context.Log, ct, step =>
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            foreach (var p in model.parameters()) p.add_(randn_like(p).mul_(o.LearningRate));
            context.Log.Metric(step, MetricNames.TrainLr, o.LearningRate);
        }, step =>
        {
            if (step % o.EvalEvery != 0 && step != o.Steps) return;
            var report = domain.Evaluate(model, o.EvalPerSplit, step, o.Seed);
            context.Log.Metrics(report.Metrics);
            context.Log.Samples(report.Samples);
        });
        FinalCheckpoint.Save(model, context, o.Steps);
    }
}
