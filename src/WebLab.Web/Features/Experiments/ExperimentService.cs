// Decides what happens to experiments: create (validate, record, queue), cancel, and list. Pages and the API both call it.
using Microsoft.EntityFrameworkCore;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Web.Data;
using WebLab.Web.Features.Review;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public sealed record CreateResult(Experiment? Experiment, IDictionary<string, string[]> Errors);

public enum CancelOutcome { NotFound, Cancelled, Stopping, AlreadyFinished, NotRunningHere }

public enum ResumeOutcome { NotFound, Queued, NotStopped, NoState, ReviewsWouldBeLost }

public enum DeleteOutcome { NotFound, Deleted, Active, HasChildren }

/// <summary>Found is false for an unknown id; Errors (keyed by field) when the edit was refused and nothing was written.</summary>
public sealed record EditResult(bool Found, Experiment? Experiment, IDictionary<string, string[]> Errors)
{
    /// <summary>Why a refused edit of experiment <paramref name="id"/> was refused, in one line for the page.</summary>
    public string Refusal(long id) => Found ? string.Join("; ", Errors.Values.SelectMany(m => m)) : $"experiment {id} no longer exists";
}

public sealed class ExperimentService(
    WebLabDb db, MethodCatalog catalog, DomainCatalog domains, LabDevices devices, IRunQueue queue, RunCancellation cancellation, ExperimentNotifier notifier, LabPaths paths,
    Audit.AuditTrail audit, Accounts.CurrentActor actor, LaunchLimiter launches)
{
    public const string DefaultPreset = PresetNames.TinyCpu;

    /// <summary>Validates everything first; nothing is written when there are errors (keyed by field name).</summary>
    /// <exception cref="Accounts.ForbiddenActionException">The actor's role may not launch runs.</exception>
    public async Task<CreateResult> CreateAsync(CreateExperimentRequest request, CancellationToken ct = default)
    {
        actor.Demand(Accounts.LabPolicies.Launch, "launch runs");
        var (experiment, errors) = await PrepareAsync(request, ct);
        if (experiment is null) return new(null, errors);
        if (!CountLaunch(errors)) return new(null, errors);
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(db, Audit.AuditActions.Launched, $"{experiment.Method} · {experiment.Preset ?? "defaults"} · \"{experiment.Name}\"", experiment.Id, ct: ct);
        await EnqueueAsync(experiment, ct);
        return new(experiment, errors);
    }

    /// <summary>A validated, unsaved run for the request, or the errors by field (nothing is written).</summary>
    async Task<(Experiment? Experiment, Dictionary<string, string[]> Errors)> PrepareAsync(CreateExperimentRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Method) || !catalog.TryGet(request.Method, out var method))
        {
            errors["method"] = [$"unknown method '{request.Method}'; known: {string.Join(", ", catalog.All.Select(m => m.Name))}"];
            return (null, errors);
        }
        var (tags, _) = RunTags.Normalize(request.Tags);
        if (request.ParentExperimentId is { } parent && !await db.Experiments.AnyAsync(e => e.Id == parent, ct))
            errors["parentExperimentId"] = [$"no experiment {parent}"];
        var preset = PresetOf(method, request.Preset);
        var options = Check(method, preset, request, errors);
        if (errors.Count > 0 || options is null) return (null, errors);

        return (new Experiment
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{method.Name}-{preset}-{DateTime.UtcNow:yyyyMMdd-HHmmss}" : request.Name.Trim(),
            Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes,
            Method = method.Name, Preset = preset, ConfigJson = MethodOptions.ToJson(options),
            Status = ExperimentStatus.Queued, CreatedAt = DateTimeOffset.UtcNow, ParentExperimentId = request.ParentExperimentId,
            Device = devices.Default, TotalSteps = method.TotalSteps(options), HeadlineMetricName = method.HeadlineMetric, Tags = tags,
            QueueOrder = DateTimeOffset.UtcNow.UtcTicks,                             // launch order; the queue may be reordered later
            CreatedBy = actor.Name,
        }, errors);
    }

    static string? PresetOf(IExperimentMethod method, string? preset) =>
        string.IsNullOrWhiteSpace(preset) ? (method.Presets.ContainsKey(DefaultPreset) ? DefaultPreset : null) : preset;

    /// <summary>
    /// The checks of a launch that need no database, in the order the API makes them, shared by the form so it answers
    /// exactly as the API does: name, notes, tags; path options confined to the allowed roots before anything looks at them
    /// (no probing of the machine); then the method's options. Errors by field; the built options, or null.
    /// </summary>
    public object? Check(IExperimentMethod method, string? preset, CreateExperimentRequest request, Dictionary<string, string[]> errors)
    {
        var (_, tagError) = RunTags.Normalize(request.Tags);
        if (tagError is not null) errors["tags"] = [tagError];
        if (RunNames.Check(request.Name) is { } nameError) errors["name"] = [nameError];
        if (request.Notes is { Length: > Experiment.MaxNotes }) errors["notes"] = [$"at most {Experiment.MaxNotes:N0} characters"];
        ConfinePaths(method.OptionsType, request.Overrides, errors);
        if (errors.Count > 0) return null;
        // with the domain's checks: it exists and offers what the method needs (a 400 before anything is queued)
        try { return MethodOptions.Build(method, PresetOf(method, preset), request.Overrides, domains); }
        catch (OptionsValidationException e) { foreach (var (field, messages) in e.Errors) errors[field] = messages; }
        return null;
    }

    /// <summary>Counts a launch by the actor (a sweep is one); false, with the reason under "launch", past the limit.</summary>
    bool CountLaunch(Dictionary<string, string[]> errors)
    {
        if (launches.TryLaunch(actor.Name)) return true;
        errors["launch"] = [$"{actor.Name} launched {launches.PerMinute} runs or sweeps in the last minute, the most WebLab:LaunchesPerMinute allows; try again in a minute"];
        return false;
    }

    /// <summary>Path options ([FilePath]) given must lie inside the lab's allowed roots once symbolic links are followed.</summary>
    void ConfinePaths(Type optionsType, System.Text.Json.Nodes.JsonObject? overrides, Dictionary<string, string[]> errors)
    {
        foreach (var p in optionsType.GetProperties().Where(p => p.IsDefined(typeof(FilePathAttribute), inherit: true)))
        {
            var field = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            if (overrides?[field] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var path) && path.Length > 0 && !paths.IsAllowed(path))
                errors[field] = [$"'{path}' is outside the folders runs may read (WebLab:PathRoots and the data directory)"];
        }
    }

    async Task EnqueueAsync(Experiment experiment, CancellationToken ct)
    {
        var jobId = queue.Submit(experiment.Id, experiment.Device);
        if (jobId is not null)
        {
            experiment.JobId = jobId;
            await db.Experiments.Where(e => e.Id == experiment.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.JobId, jobId), ct);
        }
        notifier.Publish(new StatusUpdate(experiment.Id, experiment.Status, null));
    }

    /// <summary>
    /// Launches a sweep: every grid point's options are built and validated first (a bad value anywhere refuses the whole
    /// sweep, naming the point and field), then the sweep and its runs are saved in one transaction and queued in order.
    /// </summary>
    public async Task<SweepResult> CreateSweepAsync(CreateSweepRequest request, CancellationToken ct = default)
    {
        actor.Demand(Accounts.LabPolicies.Launch, "launch sweeps");
        var (points, errors) = SweepGrid.Points(request.Axes);
        if (string.IsNullOrWhiteSpace(request.Method)) errors["method"] = ["a method is required"];
        if (RunNames.Check(request.Name, maxLength: 150) is { } nameError) errors["name"] = [nameError];
        if (errors.Count > 0) return new(null, [], errors);

        var name = string.IsNullOrWhiteSpace(request.Name) ? $"{request.Method}-sweep-{DateTime.UtcNow:yyyyMMdd-HHmmss}" : request.Name.Trim();
        var runs = new List<Experiment>();
        foreach (var point in points)
        {
            var overrides = request.Overrides?.DeepClone().AsObject() ?? [];
            foreach (var (option, value) in point) overrides[option] = value.DeepClone();
            var (run, pointErrors) = await PrepareAsync(new CreateExperimentRequest($"{name} {SweepGrid.Label(point)}", request.Method, request.Preset,
                overrides, null, request.Notes, request.Tags), ct);
            foreach (var (field, messages) in pointErrors)
                errors[field] = [.. messages.Select(m => points.Count > 1 ? $"{m} (at {SweepGrid.Label(point)})" : m)];
            if (run is not null) runs.Add(run);
            if (errors.Count > 0) return new(null, [], errors);
        }
        if (!CountLaunch(errors)) return new(null, [], errors);
        var sweep = new Sweep
        {
            Name = name, Method = runs[0].Method, Preset = runs[0].Preset, CreatedAt = DateTimeOffset.UtcNow,
            AxesJson = System.Text.Json.JsonSerializer.Serialize(request.Axes),
        };
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            db.Sweeps.Add(sweep);
            await db.SaveChangesAsync(ct);
            foreach (var run in runs) run.SweepId = sweep.Id;
            db.Experiments.AddRange(runs);
            await db.SaveChangesAsync(ct);
            audit.Add(db, Audit.AuditActions.SweepLaunched, $"sweep #{sweep.Id} \"{sweep.Name}\": {runs.Count} runs over {string.Join(" × ", (request.Axes ?? []).Select(a => a.Option))}", sweepId: sweep.Id);
            foreach (var run in runs) audit.Add(db, Audit.AuditActions.Launched, $"{run.Method} · {run.Preset ?? "defaults"} · \"{run.Name}\" (sweep #{sweep.Id})", run.Id, sweep.Id);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        foreach (var run in runs) await EnqueueAsync(run, ct);
        return new(sweep, runs, errors);
    }

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
        if (!cancellation.Cancel(id)) return CancelOutcome.NotRunningHere;
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
        var jobId = queue.Submit(id, row.Device);
        if (jobId is not null) await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.JobId, jobId), ct);
        notifier.Publish(new StatusUpdate(id, ExperimentStatus.Queued, null));
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
