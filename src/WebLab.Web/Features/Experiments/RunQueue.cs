// Where new runs are queued: Hangfire in the web host; nowhere in the headless runner (it runs the job inline).
using Hangfire;
using Hangfire.States;

namespace WebLab.Web.Features.Experiments;

public interface IRunQueue
{
    /// <summary>Queues the run of an experiment on its device's queue; returns the job id, if any.</summary>
    string? Enqueue(long experimentId, string device);
    void Remove(string jobId);
}

public sealed class HangfireRunQueue(IBackgroundJobClient jobs) : IRunQueue
{
    public string? Enqueue(long experimentId, string device) =>
        jobs.Create<ExperimentJob>(j => j.Run(experimentId, CancellationToken.None), new EnqueuedState(LabDevices.QueueOf(device)));

    public void Remove(string jobId) => jobs.Delete(jobId);
}

public sealed class InlineRunQueue : IRunQueue
{
    /// <summary>No job: the id names the running process, so a lab starting on the same data sees the run is alive.</summary>
    public string? Enqueue(long experimentId, string device) => HeadlessOwner.Current;
    public void Remove(string jobId) { }
}

/// <summary>"headless:{machine}:{pid}": the owner of a run started by the headless runner (weblab run).</summary>
public static class HeadlessOwner
{
    public const string Prefix = "headless:";
    public static string Current => $"{Prefix}{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>True when <paramref name="jobId"/> names a headless process that still runs on this machine (or on another one,
    /// which this machine cannot check: such a run is left alone).</summary>
    public static bool IsAlive(string? jobId)
    {
        if (jobId is null || !jobId.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        var parts = jobId[Prefix.Length..].Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[1], out var pid)) return false;
        if (parts[0] != Environment.MachineName) return true;
        try { using var p = System.Diagnostics.Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }
}
