// Where new runs are queued: the lab's own queue in the web host (RunDispatcher hands a run to Hangfire when its device
// has a free worker); nowhere in the headless runner (it runs the job inline).
using Hangfire;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;

namespace WebLab.Web.Features.Experiments;

public interface IRunQueue
{
    /// <summary>Queues the run of an experiment; returns the id to record as its job now, or null when the lab's queue hands
    /// it to a worker later (RunDispatcher).</summary>
    string? Submit(long experimentId, string device);
    void Remove(string jobId);
}

public static class RunQueueing
{
    /// <summary>Hands a Queued run to <paramref name="queue"/>, records the job id it gets now (if any), and tells every
    /// watcher it is Queued: what a launch and a resume both do once the row is saved. Returns the job id.</summary>
    public static async Task<string?> EnqueueAsync(this IRunQueue queue, Data.WebLabDb db, ExperimentNotifier notifier, long id, string device, CancellationToken ct)
    {
        var jobId = queue.Submit(id, device);
        if (jobId is not null) await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.JobId, jobId), ct);
        notifier.Publish(new StatusUpdate(id, Records.ExperimentStatus.Queued, null));
        return jobId;
    }
}

/// <summary>The web host's queue: a submitted run waits for RunDispatcher; Hangfire runs what it hands over.</summary>
public sealed class LabRunQueue(IBackgroundJobClient jobs, IServiceProvider services) : IRunQueue
{
    public string? Submit(long experimentId, string device)
    {
        services.GetRequiredService<RunDispatcher>().Wake();
        return null;
    }

    /// <summary>Hands a run to Hangfire on its device's queue (RunDispatcher calls this when the device has a free worker).</summary>
    public string Enqueue(long experimentId, string device) =>
        jobs.Create<ExperimentJob>(j => j.Run(experimentId, CancellationToken.None), new EnqueuedState(LabDevices.QueueOf(device)));

    public void Remove(string jobId) => jobs.Delete(jobId);
}

public sealed class InlineRunQueue : IRunQueue
{
    /// <summary>No job: the id names the running process, so a lab starting on the same data sees the run is alive.</summary>
    public string? Submit(long experimentId, string device) => HeadlessOwner.Current;
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
