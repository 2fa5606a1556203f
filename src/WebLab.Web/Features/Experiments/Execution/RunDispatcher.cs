// The lab's queue: Queued runs wait here, in QueueOrder per device, and are handed to Hangfire only when their device has
// a free worker (WebLab:Workers:Cpu on the CPU, one a CUDA device). So the lab, not Hangfire, decides what starts next:
// positions and expected starts can be shown (QueueView) and an Admin can reorder the waiting runs. Polls every
// QueuePollIntervalMs, and at once when woken (a launch, a resume, a reorder).
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public sealed class RunDispatcher(IDbContextFactory<WebLabDb> dbs, LabRunQueue queue, IOptions<WebLabOptions> options, ILogger<RunDispatcher> logger,
    IServiceProvider services) : BackgroundService
{
    readonly SemaphoreSlim wake = new(0, 1);
    readonly SemaphoreSlim busy = new(1, 1);

    /// <summary>Runs at once on <paramref name="device"/>: WebLab:Workers:Cpu on the CPU, one on a CUDA device; without local
    /// workers, the workers of the live servers (heartbeat within a minute) that serve its queue.</summary>
    public int Capacity(string device) => options.Value.Workers.Local
        ? LabDevices.QueueOf(device) == "cpu" ? Math.Max(1, options.Value.Workers.Cpu) : 1
        : RemoteCapacity(LabDevices.QueueOf(device));

    int RemoteCapacity(string queue)
    {
        var since = DateTime.UtcNow - TimeSpan.FromMinutes(1);
        return services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().Servers()
            .Where(s => s.Queues.Contains(queue) && (s.Heartbeat ?? s.StartedAt) >= since).Sum(s => s.WorkersCount);
    }

    /// <summary>Look for a free worker now (a run was queued, resumed, reordered or finished).</summary>
    public void Wake()
    {
        if (wake.CurrentCount == 0) try { wake.Release(); } catch (SemaphoreFullException) { }
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        var poll = TimeSpan.FromMilliseconds(Math.Max(50, options.Value.QueuePollIntervalMs));
        while (!ct.IsCancellationRequested)
        {
            try { await DispatchAsync(ct); }
            catch (Exception e) when (e is not OperationCanceledException) { logger.LogError(e, "the run queue could not dispatch; trying again"); }
            try { await wake.WaitAsync(poll, ct); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Hands the first waiting runs of each device to Hangfire, as many as its free workers.</summary>
    public async Task DispatchAsync(CancellationToken ct = default)
    {
        await busy.WaitAsync(ct);
        try
        {
            await using var db = await dbs.CreateDbContextAsync(ct);
            // a run is taken when it runs, or is Queued with a job (handed over, not started yet)
            var active = await db.Experiments.AsNoTracking()
                .Where(e => e.Status == ExperimentStatus.Running || (e.Status == ExperimentStatus.Queued && e.JobId != null))
                .Select(e => e.Device).ToListAsync(ct);
            var waiting = await db.Experiments.AsNoTracking().Where(e => e.Status == ExperimentStatus.Queued && e.JobId == null)
                .OrderBy(e => e.QueueOrder).ThenBy(e => e.Id).Select(e => new { e.Id, e.Device }).ToListAsync(ct);
            foreach (var device in waiting.GroupBy(w => LabDevices.QueueOf(w.Device)))
            {
                var free = Capacity(device.Key) - active.Count(d => LabDevices.QueueOf(d) == device.Key);
                foreach (var run in device.Take(Math.Max(0, free)))
                {
                    // claim it first (a cancel may come meanwhile: then it is not waiting any more), then hand it over; the job
                    // may start before its id is written back, and finds the row Queued either way
                    var marker = $"dispatching:{Guid.NewGuid():N}";
                    var claimed = await db.Experiments.Where(e => e.Id == run.Id && e.Status == ExperimentStatus.Queued && e.JobId == null)
                        .ExecuteUpdateAsync(s => s.SetProperty(e => e.JobId, marker), ct);
                    if (claimed == 0) continue;
                    var jobId = queue.Enqueue(run.Id, run.Device);
                    await db.Experiments.Where(e => e.Id == run.Id && e.JobId == marker).ExecuteUpdateAsync(s => s.SetProperty(e => e.JobId, jobId), ct);
                }
            }
        }
        finally { busy.Release(); }
    }
}
