using TorchSharp;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Sft;

namespace WebLab.Training.Tests.Methods.Sft;

public class SftRecipeTests
{
    static readonly WebLab.Training.Domains.TinyTasks.TinyTasksDomain TinyTasks = new();

    static readonly SftOptions Tiny = new()
    {
        Steps = 60, BatchSize = 16, Layers = 1, Width = 32, Heads = 2, KvHeads = 1, WarmupSteps = 5,
        LearningRate = 3e-3, EvalEvery = 30, EvalPerSplit = 2, Seed = 3,
    };

    [Fact]
    public void A_short_run_lowers_the_loss_and_logs_metrics_and_samples()
    {
        var log = new RecordingRunLog();
        using var model = SftRecipe.Train(Tiny, TinyTasks, TinyTasks, "cpu", null, log, CancellationToken.None);
        var loss = log.Series("train/loss");
        Assert.Equal(60, loss.Count);
        // untrained ≈ ln(43) = 3.76 nats; mean of the last ten steps must be well below the first ten
        Assert.True(loss.TakeLast(10).Average(p => p.Value) < loss.Take(10).Average(p => p.Value) - 0.5,
            $"loss {loss.Take(10).Average(p => p.Value):F3} → {loss.TakeLast(10).Average(p => p.Value):F3}");
        Assert.Equal(2, log.Series("eval/accuracy").Count); // steps 30 and 60
        Assert.Single(log.Series("eval/accuracy/easy"), p => p.Step == 60);
        Assert.Contains(log.SampleRecords, s => s.Role == SampleRole.Eval && s.Step == 60 && s.Correct is not null);
        Assert.Contains(log.SampleRecords, s => s.Role == SampleRole.EvalChallenger);
        Assert.Equal(60, log.LastStep);
    }

    [Fact]
    public void Cancellation_stops_at_the_next_step_boundary()
    {
        var log = new RecordingRunLog();
        using var cts = new CancellationTokenSource();
        var cancelling = new CancelAfterStepLog(log, 7, cts);
        Assert.Throws<OperationCanceledException>(() => SftRecipe.Train(Tiny, TinyTasks, TinyTasks, "cpu", null, cancelling, cts.Token));
        Assert.Equal(7, log.LastStep);
    }

    [Fact]
    public void Training_steps_leak_no_tensors()
    {
        long Leftover(int steps)
        {
            var before = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            using (SftRecipe.Train(Tiny with { Steps = steps, EvalEvery = 1000 }, TinyTasks, TinyTasks, "cpu", null, new RecordingRunLog(), CancellationToken.None)) { }
            GC.Collect(); GC.WaitForPendingFinalizers();
            return DisposeScopeManager.Statistics.ThreadTotalLiveCount - before;
        }
        Leftover(3); // warm-up: one-time tables
        Assert.Equal(Leftover(5), Leftover(25));
    }

    [Fact]
    public void Options_out_of_range_are_rejected_per_field()
    {
        var method = new SftMethod();
        var e = Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(method, "tiny-cpu",
            new System.Text.Json.Nodes.JsonObject { ["learningRate"] = -1, ["steps"] = 1_000_000_000_000 }));
        Assert.Contains("steps", e.Errors.Keys);
        var e2 = Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(method, "tiny-cpu",
            new System.Text.Json.Nodes.JsonObject { ["learningRate"] = -1 }));
        Assert.Contains("learningRate", e2.Errors.Keys);
        Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(method, "no-such-preset", null));
    }

    sealed class CancelAfterStepLog(RecordingRunLog inner, long step, CancellationTokenSource cts) : IRunLog
    {
        public void Metrics(IReadOnlyList<MetricPoint> points) => inner.Metrics(points);
        public void Samples(IReadOnlyList<SampleRecord> samples) => inner.Samples(samples);
        public void Verdicts(IReadOnlyList<VerdictRecord> verdicts) => inner.Verdicts(verdicts);
        public void Checkpoint(CheckpointRecord checkpoint) => inner.Checkpoint(checkpoint);
        public void Info(string message) { }
        public void Progress(long s, long total) { inner.Progress(s, total); if (s == step) cts.Cancel(); }
    }
}
