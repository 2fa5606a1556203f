// Reads the worker hosts from Hangfire's shared storage and the runs they execute (Processing jobs ↔ Running experiments).
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Workers;

public sealed class WorkersService(Hangfire.JobStorage storage, WebLabDb db, IOptions<WebLabOptions> options)
{
    public async Task<IReadOnlyList<WorkerHostDto>> ListAsync(CancellationToken ct = default)
    {
        var monitoring = storage.GetMonitoringApi();
        var servers = monitoring.Servers().Select(s => new ServerRecord(s.Name, [.. s.Queues], s.WorkersCount, s.StartedAt, s.Heartbeat)).ToList();
        var jobs = await db.Experiments.AsNoTracking().Where(e => e.Status == ExperimentStatus.Running && e.JobId != null)
            .Select(e => new { e.Id, e.JobId }).ToListAsync(ct);
        var byJob = jobs.ToDictionary(j => j.JobId!, j => j.Id);
        var running = new Dictionary<string, List<long>>();
        foreach (var (jobId, job) in monitoring.ProcessingJobs(0, 1000))
            if (byJob.TryGetValue(jobId, out var run) && job.ServerId is { } server)
                (running.TryGetValue(server, out var list) ? list : running[server] = []).Add(run);
        var lostAfter = TimeSpan.FromSeconds(Math.Max(1, options.Value.Workers.LostAfterSeconds));
        var hellos = (await (from h in db.Set<WorkerHello>().AsNoTracking()
                             join t in db.Set<WorkerToken>().AsNoTracking() on h.TokenId equals t.Id
                             select new { h.Host, t.Name, t.RevokedAt, h.Devices, h.Version, h.LastSeen }).ToListAsync(ct))
            .ToDictionary(h => h.Host, h => new HelloInfo(h.Name, h.RevokedAt is not null,
                System.Text.Json.JsonSerializer.Deserialize<WorkerDevice[]>(h.Devices, System.Text.Json.JsonSerializerOptions.Web) ?? [], h.Version, h.LastSeen.UtcDateTime));
        return WorkerHosts.Group(servers, running.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<long>)kv.Value), DateTime.UtcNow, lostAfter, hellos);
    }
}
