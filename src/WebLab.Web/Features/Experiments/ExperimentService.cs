// Decides what happens to runs once launched (cancel, resume, edit, delete) and lists them. Pages and the API both call it.
using Microsoft.EntityFrameworkCore;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Web.Data;
using WebLab.Web.Features.Review;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public enum CancelOutcome { NotFound, Cancelled, Stopping, AlreadyFinished, NotRunningHere }

public enum ResumeOutcome { NotFound, Queued, NotStopped, NoState, ReviewsWouldBeLost }

public enum DeleteOutcome { NotFound, Deleted, Active, HasChildren }

/// <summary>Found is false for an unknown id; Errors (keyed by field) when the edit was refused and nothing was written.</summary>
public sealed record EditResult(bool Found, Experiment? Experiment, IDictionary<string, string[]> Errors)
{
    /// <summary>Why a refused edit of experiment <paramref name="id"/> was refused, in one line for the page.</summary>
    public string Refusal(long id) => Found ? string.Join("; ", Errors.Values.SelectMany(m => m)) : $"experiment {id} no longer exists";
}

/// <summary>What happens to a run once launched: cancel, resume, edit, delete; and the runs by id or filter. Launches are
/// <see cref="RunLaunches"/>'.</summary>
public sealed class ExperimentService(
    WebLabDb db, IRunQueue queue, RunCancellation cancellation, ExperimentNotifier notifier, LabPaths paths,
    Audit.AuditTrail audit, Accounts.CurrentActor actor, LiveRelay? relay = null)
{
    /// <summary>A Queued run is cancelled at once; a Running one is asked to stop at its next step boundary.</summary>
    public async Task<CancelOutcome> CancelAsync(long id, CancellationToken ct = default)
    {
        if (await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is { } run) actor.DemandChange(run, "cancel");
        var now = DateTimeOffset.UtcNow;
        var cancelledQueued = await db.Experiments.Where(e => e.Id == id && e.Status == ExperimentStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExperimentStatus.Cancelled).SetProperty(e => e.FinishedAt, now), ct);
        var row = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null) return CancelOutcome.NotFound;
        if (cancelledQueued == 1)
        {
            await audit.RecordAsync(db, Audit.AuditActions.Cancelled, "cancelled while queued", id, ct: ct);
            if (row.JobId is not null) queue.Remove(row.JobId);
            notifier.Publish(new StatusUpdate(id, ExperimentStatus.Cancelled, null));
            return CancelOutcome.Cancelled;
        }
        if (row.Status != ExperimentStatus.Running) return CancelOutcome.AlreadyFinished;
        // a run on another host: the host running it stops it when it hears (WebLab:Redis)
        if (!cancellation.Cancel(id) && !(relay is not null && await relay.AskCancelAsync(id))) return CancelOutcome.NotRunningHere;
        await audit.RecordAsync(db, Audit.AuditActions.Cancelled, $"asked to stop at step {row.Step}", id, ct: ct);
        return CancelOutcome.Stopping;
    }

    /// <summary>
    /// Queues a Failed or Cancelled run again from its last saved state (step k): what it logged after step k (metrics,
    /// samples, verdicts, evaluation results, checkpoints but the state itself) belongs to steps it will run again, and
    /// is removed so each step appears once. People's reviews of those verdicts and samples are never removed silently: with any,
    /// the outcome is ReviewsWouldBeLost (Step = how many) unless <paramref name="discardReviews"/>.
    /// </summary>
    public async Task<(ResumeOutcome Outcome, long Step)> ResumeAsync(long id, bool discardReviews = false, CancellationToken ct = default)
    {
        var row = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null) return (ResumeOutcome.NotFound, 0);
        actor.DemandChange(row, "resume");
        if (row.Status is not (ExperimentStatus.Failed or ExperimentStatus.Cancelled)) return (ResumeOutcome.NotStopped, 0);
        if (paths.Run(id).SavedState is not { } state) return (ResumeOutcome.NoState, 0);
        var k = state.Step;
        var reviewed = await db.Verdicts.CountAsync(v => v.ExperimentId == id && v.Step > k && v.ReviewStatus != null, ct)
            + await db.Samples.CountAsync(x => x.ExperimentId == id && x.Step > k && x.ReviewStatus != null, ct);
        if (reviewed > 0 && !discardReviews) return (ResumeOutcome.ReviewsWouldBeLost, reviewed);
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            await db.MetricPoints.Where(m => m.ExperimentId == id && m.Step > k).ExecuteDeleteAsync(ct);
            // the discarded reviews' history goes with the rows they reviewed (the person chose to discard them)
            var goneVerdicts = db.Verdicts.Where(v => v.ExperimentId == id && v.Step > k).Select(v => v.Id);
            var goneSamples = db.Samples.Where(s => s.ExperimentId == id && s.Step > k).Select(s => s.Id);
            await db.ReviewEvents.Where(r => r.ExperimentId == id && ((r.Target == ReviewEvent.VerdictTarget && goneVerdicts.Contains(r.TargetId))
                || (r.Target == ReviewEvent.SampleTarget && goneSamples.Contains(r.TargetId)))).ExecuteDeleteAsync(ct);
            await db.Samples.Where(s => s.ExperimentId == id && s.Step > k).ExecuteDeleteAsync(ct);
            await db.Verdicts.Where(v => v.ExperimentId == id && v.Step > k).ExecuteDeleteAsync(ct);
            await db.EvaluationResults.Where(r => r.ExperimentId == id && r.Step > k).ExecuteDeleteAsync(ct);
            await db.Checkpoints.Where(c => c.ExperimentId == id && c.Step > k && c.Kind != CheckpointKinds.Latest).ExecuteDeleteAsync(ct);
            var claimed = await db.Experiments.Where(e => e.Id == id && (e.Status == ExperimentStatus.Failed || e.Status == ExperimentStatus.Cancelled))
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExperimentStatus.Queued).SetProperty(e => e.Error, (string?)null)
                    .SetProperty(e => e.FinishedAt, (DateTimeOffset?)null).SetProperty(e => e.Step, k), ct);
            if (claimed == 0) return (ResumeOutcome.NotStopped, 0);                 // resumed meanwhile by another request
            await audit.RecordAsync(db, Audit.AuditActions.Resumed, $"from its state after step {k}" + (reviewed > 0 ? $"; {reviewed} later reviews discarded" : ""), id, ct: ct);
            await tx.CommitAsync(ct);
        }
        // a resumed run goes to the front of its device's queue: it had its turn already
        var front = await db.Experiments.Where(e => e.Status == ExperimentStatus.Queued && e.Id != id && e.Device == row.Device)
            .MinAsync(e => (long?)e.QueueOrder, ct) ?? DateTimeOffset.UtcNow.UtcTicks;
        await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.QueueOrder, front - 1).SetProperty(e => e.JobId, (string?)null), ct);
        await queue.EnqueueAsync(db, notifier, id, row.Device, ct);
        return (ResumeOutcome.Queued, k);
    }

    /// <summary>
    /// Deletes a run that is not Queued or Running: its rows (metrics, samples, verdicts, checkpoints, by cascade) and its
    /// folder. Refused while a follow-on run starts from it (its checkpoint lives in that folder); the children are returned.
    /// </summary>
    public async Task<(DeleteOutcome Outcome, IReadOnlyList<long> Children)> DeleteAsync(long id, CancellationToken ct = default)
    {
        var row = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);
        if (row is null) return (DeleteOutcome.NotFound, []);
        actor.DemandChange(row, "delete");
        if (row.IsActive) return (DeleteOutcome.Active, []);
        var children = await db.Experiments.Where(e => e.ParentExperimentId == id).Select(e => e.Id).OrderBy(x => x).ToListAsync(ct);
        if (children.Count > 0) return (DeleteOutcome.HasChildren, children);
        var deleted = await db.Experiments.Where(e => e.Id == id && e.Status != ExperimentStatus.Queued && e.Status != ExperimentStatus.Running)
            .ExecuteDeleteAsync(ct);
        if (deleted == 0) return (DeleteOutcome.Active, []);                   // resumed meanwhile
        await audit.RecordAsync(db, Audit.AuditActions.Deleted, $"\"{row.Name}\" ({row.Method}, {row.Status}, step {row.Step})", id, ct: ct);
        var folder = paths.RunDirectory(id);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        return (DeleteOutcome.Deleted, []);
    }

    /// <summary>
    /// Renames a run or replaces its notes, at any status (a running run's notes are where people write what they see).
    /// Only the given fields change, and only those columns are written, so a run's own progress updates are never undone.
    /// </summary>
    public async Task<EditResult> EditAsync(long id, EditExperimentRequest request, CancellationToken ct = default)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim();
        if (name is { Length: 0 }) errors["name"] = ["a name cannot be empty"];
        else if (RunNames.Check(name) is { } nameError) errors["name"] = [nameError];
        if (request.Notes is { Length: > Experiment.MaxNotes }) errors["notes"] = [$"at most {Experiment.MaxNotes:N0} characters"];
        var (tags, tagError) = RunTags.Normalize(request.Tags);
        if (tagError is not null) errors["tags"] = [tagError];
        if (name is null && request.Notes is null && request.Tags is null) errors["body"] = ["give \"name\", \"notes\", \"tags\" or several"];
        if (await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct) is not { } run) return new(false, null, errors);
        if (errors.Count > 0) return new(true, null, errors);
        if (name is not null || request.Tags is not null) actor.DemandChange(run, name is not null ? "rename" : "tag");
        if (request.Notes is not null) actor.Demand(Accounts.LabPolicies.Review, "write notes");

        // one UPDATE of the columns; a field not given keeps its value
        var before = await db.Experiments.AsNoTracking().Where(e => e.Id == id).Select(e => new { e.Name, e.Notes, e.Tags }).SingleAsync(ct);
        bool setNotes = request.Notes is not null, setTags = request.Tags is not null;
        var notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes;
        await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(u => u
            .SetProperty(e => e.Name, e => name ?? e.Name)
            .SetProperty(e => e.Notes, e => setNotes ? notes : e.Notes)
            .SetProperty(e => e.Tags, e => setTags ? tags : e.Tags), ct);
        if (name is not null && name != before.Name) audit.Add(db, Audit.AuditActions.Renamed, $"\"{before.Name}\" → \"{name}\"", id);
        if (setNotes && notes != before.Notes) audit.Add(db, Audit.AuditActions.NotesChanged, $"notes: {notes?.Length ?? 0:N0} characters", id);
        if (setTags && tags != before.Tags) audit.Add(db, Audit.AuditActions.Tagged, $"tags: {before.Tags ?? "none"} → {tags ?? "none"}", id);
        await db.SaveChangesAsync(ct);
        return new(true, await FindAsync(id, ct), errors);
    }

    public Task<Experiment?> FindAsync(long id, CancellationToken ct = default) =>
        db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id, ct);

    public Task<List<Experiment>> ListAsync(string? status = null, string? method = null, string? q = null, CancellationToken ct = default)
    {
        var query = db.Experiments.AsNoTracking();
        if (Enum.TryParse<ExperimentStatus>(status, ignoreCase: true, out var s)) query = query.Where(e => e.Status == s);
        if (!string.IsNullOrWhiteSpace(method)) query = query.Where(e => e.Method == method);
        // a search matches the name, the notes or a tag ("tag:x" matches the tag x exactly)
        if (q?.Trim() is { Length: > 4 } t && t.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
        {
            var pattern = $"% {t[4..]} %";
            query = query.Where(e => EF.Functions.Like(" " + (e.Tags ?? "") + " ", pattern));
        }
        else if (!string.IsNullOrWhiteSpace(q))
            query = query.Where(e => EF.Functions.Like(e.Name, $"%{q}%") || EF.Functions.Like(e.Notes ?? "", $"%{q}%") || EF.Functions.Like(e.Tags ?? "", $"%{q}%"));
        return query.OrderByDescending(e => e.Id).Take(500).ToListAsync(ct);
    }
}
