// Gradient accumulation: an update in micro-batches equals one big batch. The ranges worked by hand, then grpo and sft
// runs with micro-batches against the same runs in one batch: the same losses and weights within float rounding (the
// sums are taken in another order), and not bit for bit the same, so the micro-batched path did run.
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Methods.Sft;
using WebLab.Training.Models;

namespace WebLab.Training.Tests.Methods.Common;

[Collection(GlobalGenerator.Name)]
public sealed class MicroBatchTests : IDisposable
{
    readonly TempFolder root = new("micro-batch");
    public void Dispose() => root.Dispose();

    [Fact]
    public void Ranges_cover_the_rows_once_in_order()
    {
        Assert.Equal([(0, 4), (4, 4), (8, 2)], MicroBatches.Of(10, 4));
        Assert.Equal([(0, 10)], MicroBatches.Of(10, 0));                      // 0: one batch of all
        Assert.Equal([(0, 3)], MicroBatches.Of(3, 5));
        Assert.Empty(MicroBatches.Of(0, 4));
        Assert.Equal(new[] { 'c', 'd' }, MicroBatches.Slice("abcde".ToList(), (2, 2)));
    }

    (RecordingRunLog Log, float[] Weights) Run(IExperimentMethod method, JsonObject overrides, string name)
    {
        var options = MethodOptions.Build(method, "tiny-cpu", overrides);
        var dir = Path.Combine(root.Path, name);
        var log = new RecordingRunLog();
        method.Run(new ExperimentContext(1, options, dir, "cpu", null, log, Domain: DomainCatalog.Default.Resolve(method, options)), CancellationToken.None);
        using var model = ModelFamilies.Load(Path.Combine(dir, "checkpoints", CheckpointKinds.Final));
        return (log, [.. model.parameters().SelectMany(p => p.data<float>().ToArray())]);
    }

    static void Same(float[] whole, float[] micro)
    {
        Assert.NotEqual(whole, micro);                                       // another summation order, so not to the bit
        var scale = whole.Max(Math.Abs);
        Assert.InRange(whole.Zip(micro).Max(p => Math.Abs(p.First - p.Second)) / scale, 0, 1e-4);
    }

    [Fact]
    public void A_grpo_update_in_micro_batches_equals_one_batch()
    {
        IExperimentMethod method = new GrpoMethod();
        JsonObject Overrides(int micro) => new()
        {
            ["steps"] = 2, ["prompts"] = 3, ["answers"] = 4, ["samplingRounds"] = 1, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1,
            ["checkpointEvery"] = 0, ["learningRate"] = 1e-3, ["updatesPerBatch"] = 2, ["microBatch"] = micro,
        };
        var (whole, wholeWeights) = Run(method, Overrides(0), "whole");
        var (micro, microWeights) = Run(method, Overrides(5), "micro");          // 12 rows: 5 + 5 + 2
        foreach (var name in new[] { MetricNames.LossSolver, MetricNames.KlSolver, MetricNames.EntropySolver })
            Assert.All(whole.Series(name).Zip(micro.Series(name)), p => Assert.Equal(p.First.Value, p.Second.Value, 1e-4));
        Assert.Equal(whole.Series(MetricNames.SolverRewardMean).Select(p => p.Value), micro.Series(MetricNames.SolverRewardMean).Select(p => p.Value));
        Same(wholeWeights, microWeights);
    }

    [Fact]
    public void A_self_play_update_in_micro_batches_equals_one_batch()
    {
        IExperimentMethod method = new WebLab.Training.Methods.SelfPlay.SelfPlayMethod(withQuality: true);
        JsonObject Overrides(int micro) => new()
        {
            ["steps"] = 2, ["queries"] = 3, ["answers"] = 3, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1, ["checkpointEvery"] = 0,
            ["learningRate"] = 1e-3, ["microBatch"] = micro,
        };
        var (whole, wholeWeights) = Run(method, Overrides(0), "lsp-whole");
        var (micro, microWeights) = Run(method, Overrides(2), "lsp-micro");     // the Solver's rows and the Challenger's 3 queries, 2 at a time
        foreach (var name in new[] { MetricNames.LossSolver, MetricNames.LossChallenger, MetricNames.KlSolver, MetricNames.EntropySolver })
        {
            Assert.Equal(2, micro.Series(name).Count);
            Assert.All(whole.Series(name).Zip(micro.Series(name)), p => Assert.Equal(p.First.Value, p.Second.Value, 1e-4));
        }
        Same(wholeWeights, microWeights);
    }

    [Fact]
    public void A_vision_sr1_update_in_micro_batches_equals_one_batch()
    {
        IExperimentMethod method = MethodCatalog.Default.Get("vision-sr1");
        JsonObject Overrides(int micro) => new()
        {
            ["steps"] = 2, ["prompts"] = 4, ["answers"] = 3, ["updatesPerRollout"] = 2, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1,
            ["checkpointEvery"] = 0, ["learningRate"] = 1e-3, ["microBatch"] = micro, ["evalBeforeTraining"] = false,
        };
        var (whole, wholeWeights) = Run(method, Overrides(0), "vision-whole");
        var (micro, microWeights) = Run(method, Overrides(4), "vision-micro");   // two shares of 6 responses: 4 + 2 each
        foreach (var name in new[] { MetricNames.Loss, MetricNames.Kl, MetricNames.Entropy, MetricNames.ClipFrac })
        {
            Assert.Equal(2, micro.Series(name).Count);
            Assert.All(whole.Series(name).Zip(micro.Series(name)), p => Assert.Equal(p.First.Value, p.Second.Value, 1e-4));
        }
        Same(wholeWeights, microWeights);
    }

    [Fact]
    public void An_sft_step_in_micro_batches_equals_one_batch()
    {
        IExperimentMethod method = new SftMethod();
        JsonObject Overrides(int micro) => new()
        {
            ["steps"] = 3, ["batchSize"] = 8, ["warmupSteps"] = 1, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1, ["checkpointEvery"] = 0,
            ["microBatch"] = micro,
        };
        var (whole, wholeWeights) = Run(method, Overrides(0), "sft-whole");
        var (micro, microWeights) = Run(method, Overrides(3), "sft-micro");     // 8 examples: 3 + 3 + 2
        Assert.All(whole.Series("train/loss").Zip(micro.Series("train/loss")), p => Assert.Equal(p.First.Value, p.Second.Value, 1e-5));
        Same(wholeWeights, microWeights);
    }
}
