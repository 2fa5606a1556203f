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
    /// workers, the workers of the live servers (heartbeat within a minute) that serve its queue, of hosts admitted by
    /// their worker token's hello (WebLab:Workers:RequireToken).</summary>
    public int Capacity(string device) => options.Value.Workers.Local
        ? LabDevices.QueueOf(device) == "cpu" ? Math.Max(1, options.Value.Workers.Cpu) : 1
        : RemoteCapacity(LabDevices.QueueOf(device));

    int RemoteCapacity(string queue)
    {
        var since = DateTime.UtcNow - TimeSpan.FromMinutes(1);
        var hosts = admitted;
        return services.GetRequiredService<Hangfire.JobStorage>().GetMonitoringApi().Servers()
            .Where(s => s.Queues.Contains(queue) && (s.Heartbeat ?? s.StartedAt) >= since)
            .Where(s => hosts is null || hosts.Contains(Features.Workers.WorkerHosts.HostOf(s.Name).Host)).Sum(s => s.WorkersCount);
    }

    // the worker hosts whose hello, with a token not revoked, is recent (WebLab:Workers:RequireToken); null: every server
    volatile HashSet<string>? admitted;

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
            if (!options.Value.Workers.Local) await FailLostAsync(db, ct);
            admitted = !options.Value.Workers.Local && options.Value.Workers.RequireToken
                ? await Features.Workers.WorkerTokens.AdmittedHostsAsync(db, TimeSpan.FromSeconds(Math.Max(1, options.Value.Workers.LostAfterSeconds)), ct)
                : null;
            await ReleaseStaleClaimsAsync(db, ct);
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
                    var marker = $"{ClaimPrefix}{DateTimeOffset.UtcNow.UtcTicks}:{Guid.NewGuid():N}";
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

    const string ClaimPrefix = "dispatching:";

    /// <summary>
    /// A run claimed for dispatch by a web host that died before handing it over (or before writing the job id back) would
    /// wait forever: its claim is released after LostAfterSeconds, and the run is dispatched again. Should its job exist
    /// after all, the first job to start runs it and the other finds it not Queued and leaves it (ExperimentJob's claim).
    /// </summary>
    async Task ReleaseStaleClaimsAsync(WebLabDb db, CancellationToken ct)
    {
        var claims = await db.Experiments.AsNoTracking().Where(e => e.Status == ExperimentStatus.Queued && e.JobId != null && e.JobId.StartsWith(ClaimPrefix))
            .Select(e => new { e.Id, e.JobId }).ToListAsync(ct);
        var before = (DateTimeOffset.UtcNow - TimeSpan.FromSeconds(Math.Max(1, options.Value.Workers.LostAfterSeconds))).UtcTicks;
        foreach (var claim in claims)
        {
            var ticks = claim.JobId!.Split(':') is [_, var t, ..] && long.TryParse(t, out var v) ? v : 0;   // a marker of an older version: stale
            if (ticks >= before) continue;
            if (await db.Experiments.Where(e => e.Id == claim.Id && e.Status == ExperimentStatus.Queued && e.JobId == claim.JobId)
                    .ExecuteUpdateAsync(s => s.SetProperty(e => e.JobId, (string?)null), ct) > 0)
                logger.LogWarning("experiment {Id}: released a dispatch claim its host never completed; queued again", claim.Id);
        }
    }

    /// <summary>The error of a run whose worker host went silent.</summary>
    public static string LostError(string server, int seconds, long? savedStep) =>
        $"its worker host ({server}) sent no heartbeat for {seconds} s (killed or cut off)"
        + (savedStep is { } step ? $"; Resume continues it from its state after step {step}" : "");

    /// <summary>
    /// Without local workers: each Running run's job was taken by a server (Hangfire's Processing state names it); when
    /// that server has sent no heartbeat for LostAfterSeconds, the run is Failed with <see cref="LostError"/> and its job
    /// deleted, so that Hangfire never hands the dead server's job out again beside a resumed run.
    /// </summary>
    async Task FailLostAsync(WebLabDb db, CancellationToken ct)
    {
        var running = await db.Experiments.AsNoTracking().Where(e => e.Status == ExperimentStatus.Running && e.JobId != null)
            .Select(e => new { e.Id, e.JobId }).ToListAsync(ct);
        if (running.Count == 0) return;
        var lostAfter = TimeSpan.FromSeconds(Math.Max(1, options.Value.Workers.LostAfterSeconds));
        var storage = services.GetRequiredService<Hangfire.JobStorage>();
        var monitoring = storage.GetMonitoringApi();
        var beats = monitoring.Servers().ToDictionary(s => s.Name, s => s.Heartbeat ?? s.StartedAt);
        var now = DateTime.UtcNow;
        foreach (var run in running)
        {
            var processing = monitoring.JobDetails(run.JobId!)?.History.FirstOrDefault(h => h.StateName == Hangfire.States.ProcessingState.StateName);
            if (processing is null || !processing.Data.TryGetValue("ServerId", out var server)) continue;   // not taken yet
            if (beats.TryGetValue(server, out var beat) && now - beat < lostAfter) continue;
            if (!beats.ContainsKey(server) && now - processing.CreatedAt < lostAfter) continue;            // taken just now
            var paths = services.GetRequiredService<LabPaths>();
            var error = LostError(server, (int)lostAfter.TotalSeconds, paths.Run(run.Id).SavedState?.Step);
            var failed = await db.Experiments.Where(e => e.Id == run.Id && e.Status == ExperimentStatus.Running && e.JobId == run.JobId)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExperimentStatus.Failed).SetProperty(e => e.Error, error)
                    .SetProperty(e => e.FinishedAt, DateTimeOffset.UtcNow), ct);
            if (failed == 0) continue;
            Hangfire.BackgroundJobClientExtensions.Delete(new Hangfire.BackgroundJobClient(storage), run.JobId);
            services.GetRequiredService<ExperimentNotifier>().Publish(new StatusUpdate(run.Id, ExperimentStatus.Failed, error));
            logger.LogWarning("experiment {Id}: {Error}", run.Id, error);
        }
    }
}
