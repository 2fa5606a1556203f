// The queue as people see it: each waiting run with its position on its device and its expected start (QueueView), and an
// Admin's reordering. Cancelling a waiting run is ExperimentService's cancel, as for any run.
using Microsoft.EntityFrameworkCore;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Queue;

public sealed record QueueItemDto(long Id, string Name, string Method, string? Preset, string Device, int Position, double? StartsInSeconds, DateTimeOffset? ExpectedStart);

public sealed class QueueService(WebLabDb db, RunDispatcher dispatcher, Accounts.CurrentActor actor, Audit.AuditTrail audit)
{
    /// <summary>The runs waiting for a worker (Queued, not yet handed over), in queue order per device.</summary>
    public async Task<IReadOnlyList<QueueItemDto>> ListAsync(CancellationToken ct = default)
    {
        var now = DateTimeOffset.UtcNow;
        var waiting = await db.Experiments.AsNoTracking().Where(e => e.Status == ExperimentStatus.Queued)
            .OrderBy(e => e.QueueOrder).ThenBy(e => e.Id).ToListAsync(ct);
        if (waiting.Count == 0) return [];
        var running = await db.Experiments.AsNoTracking().Where(e => e.Status == ExperimentStatus.Running).ToListAsync(ct);
        // a run handed to Hangfire but not started yet holds its worker, with its whole estimate ahead of it
        var kinds = waiting.Select(e => (e.Method, e.Preset, e.TotalSteps)).Distinct().ToList();
        var estimates = new Dictionary<(string, string?, long), double?>();
        foreach (var (method, preset, steps) in kinds)
        {
            var done = await db.Experiments.AsNoTracking()
                .Where(e => e.Status == ExperimentStatus.Succeeded && e.Method == method && e.Preset == preset && e.TotalSteps == steps && e.StartedAt != null && e.FinishedAt != null)
                .OrderByDescending(e => e.Id).Take(5).Select(e => new { e.StartedAt, e.FinishedAt }).ToListAsync(ct);
            estimates[(method, preset, steps)] = QueueView.Median([.. done.Select(d => (d.FinishedAt!.Value - d.StartedAt!.Value).TotalSeconds)]);
        }
        double? Estimate(Experiment e) => estimates[(e.Method, e.Preset, e.TotalSteps)];
        var handedOver = waiting.Where(e => e.JobId is not null).ToList();
        var slots = QueueView.Of(
            [.. running.Select(e => new RunningRun(LabDevices.QueueOf(e.Device), Eta.Left(e, now))),
             .. handedOver.Select(e => new RunningRun(LabDevices.QueueOf(e.Device), Estimate(e)))],
            [.. waiting.Where(e => e.JobId is null).Select(e => new WaitingRun(e.Id, LabDevices.QueueOf(e.Device), Estimate(e)))],
            dispatcher.Capacity);
        var byId = waiting.ToDictionary(e => e.Id);
        return [.. slots.Select(s => new QueueItemDto(s.Id, byId[s.Id].Name, byId[s.Id].Method, byId[s.Id].Preset, byId[s.Id].Device, s.Position,
            s.StartsIn is { } t ? Math.Round(t, 1) : null, s.StartsIn is { } t2 ? now.AddSeconds(t2) : null))];
    }

    /// <summary>An Admin moves a waiting run to <paramref name="position"/> (1: next) among its device's waiting runs; false
    /// when it is not waiting (started, or gone).</summary>
    public async Task<bool> MoveAsync(long id, int position, CancellationToken ct = default)
    {
        actor.Demand(Accounts.LabPolicies.Admin, "reorder the queue");
        var run = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id && e.Status == ExperimentStatus.Queued && e.JobId == null, ct);
        if (run is null) return false;
        var order = await db.Experiments.Where(e => e.Status == ExperimentStatus.Queued && e.JobId == null && e.Device == run.Device)
            .OrderBy(e => e.QueueOrder).ThenBy(e => e.Id).ToListAsync(ct);
        var moved = order.Single(e => e.Id == id);
        order.Remove(moved);
        order.Insert(Math.Clamp(position, 1, order.Count + 1) - 1, moved);
        var first = order.Min(e => e.QueueOrder);
        for (int i = 0; i < order.Count; i++) order[i].QueueOrder = first + i;   // the same range, in the new order
        audit.Add(db, Audit.AuditActions.Reordered, $"moved to position {Math.Clamp(position, 1, order.Count)} of {order.Count} on {run.Device}", id);
        await db.SaveChangesAsync(ct);
        dispatcher.Wake();
        return true;
    }
}
