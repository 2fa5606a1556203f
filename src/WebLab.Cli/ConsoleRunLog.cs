// A run log for the terminal: evaluation metrics and a progress line every few seconds, on stderr; optionally a CSV of
// every metric point.
using System.Diagnostics;
using WebLab.Training.Experiments;

namespace WebLab.Cli;

/// <param name="metricsCsv">When given, every metric point is written to this file as step,name,value.</param>
/// <param name="append">Add to the file (a resumed run) instead of starting it afresh.</param>
public sealed class ConsoleRunLog(string? metricsCsv = null, bool append = false) : IRunLog
{
    readonly StreamWriter? csv = metricsCsv is null ? null : new StreamWriter(metricsCsv, append) { AutoFlush = true };
    readonly Stopwatch clock = Stopwatch.StartNew();
    TimeSpan lastPrint = TimeSpan.FromSeconds(-10);
    readonly Dictionary<string, double> latest = [];

    public void Metrics(IReadOnlyList<MetricPoint> points)
    {
        foreach (var p in points)
        {
            latest[p.Name] = p.Value;
            csv?.WriteLine(FormattableString.Invariant($"{p.Step},{p.Name},{p.Value}"));
        }
        var eval = points.Where(p => p.Name.StartsWith("eval/", StringComparison.Ordinal)).ToList();
        if (eval.Count > 0)
            Console.Error.WriteLine($"step {eval[0].Step} " + string.Join(" ", eval.Select(p => $"{p.Name}={p.Value:F3}")));
    }

    public void Progress(long step, long totalSteps)
    {
        if (clock.Elapsed - lastPrint < TimeSpan.FromSeconds(5) && step != totalSteps) return;
        lastPrint = clock.Elapsed;
        var eta = step == 0 ? 0 : clock.Elapsed.TotalSeconds / step * (totalSteps - step);
        var loss = latest.TryGetValue("train/loss", out var l) ? $" loss {l:F4}" : "";
        Console.Error.WriteLine($"step {step}/{totalSteps}{loss} ({clock.Elapsed.TotalSeconds:F0} s, eta {eta:F0} s)");
    }

    public void Samples(IReadOnlyList<SampleRecord> samples) { }
    public void Verdicts(IReadOnlyList<VerdictRecord> verdicts) { }
    public void Checkpoint(CheckpointRecord checkpoint) => Console.Error.WriteLine($"checkpoint ({CheckpointKinds.Name(checkpoint.Kind)}): {checkpoint.Path}");
    public void Info(string message) => Console.Error.WriteLine(message);
}
