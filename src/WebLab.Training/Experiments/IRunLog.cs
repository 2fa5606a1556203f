// What a training method reports while it runs: plain records, no tensors, no EF or SignalR types.
// The web side batches them into SQLite and fans them out over SignalR; the CLI prints or stores them.
namespace WebLab.Training.Experiments;

/// <summary>One scalar at one step (e.g. train/loss = 1.23 at step 40).</summary>
public sealed record MetricPoint(long Step, string Name, double Value);

/// <summary>One thing a model wrote, with how it was scored; ExtraJson: its role's typed extras (<see cref="SampleExtras"/>).</summary>
public sealed record SampleRecord(
    long Step, SampleRole Role, string Prompt, string Completion,
    double? Reward = null, bool? Correct = null, string? ExtraJson = null);

/// <summary>A judge's comparison of the trained model's answer with the base model's on one evaluation prompt. Expected,
/// TrainedCorrect and BaseCorrect: the domain's reference answer and each answer's grade, where it has one (null for chat).</summary>
public sealed record VerdictRecord(
    long Step, string Split, string Prompt, string TrainedAnswer, string BaseAnswer,
    bool TrainedShownFirst, string Judge, VerdictOutcome Verdict, string Rationale,
    string? Expected = null, bool? TrainedCorrect = null, bool? BaseCorrect = null);

/// <summary>A checkpoint folder (config.json + model.safetensors) written by the run.</summary>
public sealed record CheckpointRecord(long Step, string Path, CheckpointKind Kind);

public interface IRunLog
{
    void Metrics(IReadOnlyList<MetricPoint> points);
    void Samples(IReadOnlyList<SampleRecord> samples);
    void Verdicts(IReadOnlyList<VerdictRecord> verdicts);
    void Checkpoint(CheckpointRecord checkpoint);
    /// <summary>Step done out of total; the host turns this into a progress bar and an ETA.</summary>
    void Progress(long step, long totalSteps);
    /// <summary>Free text for the run's log (load times, warnings).</summary>
    void Info(string message);
    /// <summary>
    /// Returns once every record logged so far is stored. A recipe's resumable state is saved only after it, so a crash
    /// after the save loses none of the steps that state covers (a resumed run never re-runs them). Default: nothing is buffered.
    /// </summary>
    void Flush() { }
}

public static class RunLogExtensions
{
    public static void Metric(this IRunLog log, long step, string name, double value) =>
        log.Metrics([new MetricPoint(step, name, value)]);
}

/// <summary>A run log that forgets everything (benchmarks, smoke tests).</summary>
public sealed class NullRunLog : IRunLog
{
    public static readonly NullRunLog Instance = new();
    public void Metrics(IReadOnlyList<MetricPoint> points) { }
    public void Samples(IReadOnlyList<SampleRecord> samples) { }
    public void Verdicts(IReadOnlyList<VerdictRecord> verdicts) { }
    public void Checkpoint(CheckpointRecord checkpoint) { }
    public void Progress(long step, long totalSteps) { }
    public void Info(string message) { }
}
