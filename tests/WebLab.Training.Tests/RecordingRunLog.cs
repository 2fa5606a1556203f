// A run log that keeps everything in memory, for assertions.
using System.Collections.Concurrent;
using WebLab.Training.Experiments;

namespace WebLab.Training.Tests;

public sealed class RecordingRunLog : IRunLog
{
    public ConcurrentQueue<MetricPoint> MetricPoints { get; } = new();
    public ConcurrentQueue<SampleRecord> SampleRecords { get; } = new();
    public ConcurrentQueue<VerdictRecord> VerdictRecords { get; } = new();
    public ConcurrentQueue<CheckpointRecord> Checkpoints { get; } = new();
    public long LastStep { get; private set; }

    public IReadOnlyList<MetricPoint> Series(string name) => MetricPoints.Where(p => p.Name == name).OrderBy(p => p.Step).ToList();

    public void Metrics(IReadOnlyList<MetricPoint> points) { foreach (var p in points) MetricPoints.Enqueue(p); }
    public void Samples(IReadOnlyList<SampleRecord> samples) { foreach (var s in samples) SampleRecords.Enqueue(s); }
    public void Verdicts(IReadOnlyList<VerdictRecord> verdicts) { foreach (var v in verdicts) VerdictRecords.Enqueue(v); }
    public void Checkpoint(CheckpointRecord checkpoint) => Checkpoints.Enqueue(checkpoint);
    public void Progress(long step, long totalSteps) => LastStep = step;
    public void Info(string message) { }
}
