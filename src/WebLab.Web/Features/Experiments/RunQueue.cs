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
    public string? Enqueue(long experimentId, string device) => null;
    public void Remove(string jobId) { }
}
