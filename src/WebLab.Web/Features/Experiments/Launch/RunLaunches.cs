// Launches runs and sweeps: validate everything (the options, the domain and what the method needs of it, names, tags,
// paths), record, audit, queue. The form, the API and the headless runner all launch through it.
using Microsoft.EntityFrameworkCore;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Sweeps;

namespace WebLab.Web.Features.Experiments;

public sealed record CreateResult(Experiment? Experiment, IDictionary<string, string[]> Errors);

public sealed class RunLaunches(
    WebLabDb db, MethodCatalog catalog, DomainCatalog domains, LabDevices devices, IRunQueue queue, ExperimentNotifier notifier, LabPaths paths,
    Audit.AuditTrail audit, Accounts.CurrentActor actor, LaunchLimiter launches, Microsoft.Extensions.Options.IOptions<WebLabOptions> lab)
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
        var device = DeviceOf(request.Device, errors);
        var spec = Check(method, preset, request, errors);
        if (errors.Count > 0 || spec is null || device is null) return (null, errors);

        return (new Experiment
        {
            Name = string.IsNullOrWhiteSpace(request.Name) ? $"{method.Name}-{preset}-{DateTime.UtcNow:yyyyMMdd-HHmmss}" : request.Name.Trim(),
            Notes = string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes,
            Method = method.Name, Preset = preset, ConfigJson = spec.ToJson(),                // serialised once: the job reads it as is
            Status = ExperimentStatus.Queued, CreatedAt = DateTimeOffset.UtcNow, ParentExperimentId = request.ParentExperimentId,
            Device = device, TotalSteps = method.TotalSteps(spec.Options), HeadlineMetricName = method.HeadlineMetric, Tags = tags,
            QueueOrder = DateTimeOffset.UtcNow.UtcTicks,                             // launch order; the queue may be reordered later
            CreatedBy = actor.Name,
        }, errors);
    }

    /// <summary>The run's device: the lab's default when none is named; "cuda" is "cuda:0". With local workers it must be one
    /// of this host's; without, any device a `weblab worker` may serve (the run waits in the queue until one does).</summary>
    string? DeviceOf(string? requested, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(requested)) return devices.Default;
        var device = requested.Trim().ToLowerInvariant() is "cuda" ? "cuda:0" : requested.Trim().ToLowerInvariant();
        if (!System.Text.RegularExpressions.Regex.IsMatch(device, @"^(cpu|cuda:\d{1,2})$"))
            errors["device"] = [$"'{requested}' is not a device: cpu, cuda:0, cuda:1, …"];
        else if (lab.Value.Workers.Local && !devices.Queues.Contains(LabDevices.QueueOf(device)))
            errors["device"] = [$"this lab has no {device} (it runs on {string.Join(", ", devices.Queues)})"];
        else return device;
        return null;
    }

    static string? PresetOf(IExperimentMethod method, string? preset) =>
        string.IsNullOrWhiteSpace(preset) ? (method.Presets.ContainsKey(DefaultPreset) ? DefaultPreset : null) : preset;

    /// <summary>
    /// The checks of a launch that need no database, in the order the API makes them, shared by the form so it answers
    /// exactly as the API does: name, notes, tags; path options confined to the allowed roots before anything looks at them
    /// (no probing of the machine); then the method's and the domain's options. Errors by field; the run's spec, or null.
    /// </summary>
    public RunSpec? Check(IExperimentMethod method, string? preset, CreateExperimentRequest request, Dictionary<string, string[]> errors) =>
        Check(method, preset, request, errors, out _);

    /// <summary>As <see cref="Check(IExperimentMethod, string?, CreateExperimentRequest, Dictionary{string, string[]})"/>,
    /// with the memory plan it worked out (null when the options are bad or the start model's shape is unknown).</summary>
    public RunSpec? Check(IExperimentMethod method, string? preset, CreateExperimentRequest request, Dictionary<string, string[]> errors,
        out Training.Methods.Common.PlanVerdict? plan)
    {
        plan = null;
        var (_, tagError) = RunTags.Normalize(request.Tags);
        if (tagError is not null) errors["tags"] = [tagError];
        if (RunNames.Check(request.Name) is { } nameError) errors["name"] = [nameError];
        if (request.Notes is { Length: > Experiment.MaxNotes }) errors["notes"] = [$"at most {Experiment.MaxNotes:N0} characters"];
        if (errors.Count > 0 || Build(method, preset, request.Overrides, errors) is not { } spec) return null;
        // then the memory plan against the device: a run that cannot fit is refused, naming the changes that would fit
        plan = Plan(spec, errors);
        if (plan is { Refusal: { } refusal } verdict)
        {
            errors["memory"] = [refusal];
            foreach (var alternative in verdict.Alternatives.Where(a => a.Fits))
                foreach (var field in alternative.Fields)
                    errors[field] = [.. errors.GetValueOrDefault(field) ?? [], $"with {alternative.Change} the run needs {Training.Models.MemoryPlan.Format(alternative.Plan.Total)}, which fits"];
            return null;
        }
        return spec;
    }

    /// <summary>The memory plan of a launch request (POST /api/experiments/plan): its options checked as a launch checks
    /// them, but a plan that does not fit is answered, not refused. Null with the errors when the options are bad.</summary>
    public (Training.Methods.Common.PlanVerdict? Verdict, Dictionary<string, string[]> Errors) PlanFor(CreateExperimentRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Method) || !catalog.TryGet(request.Method, out var method))
        {
            errors["method"] = [$"unknown method '{request.Method}'; known: {string.Join(", ", catalog.All.Select(m => m.Name))}"];
            return (null, errors);
        }
        return (Build(method, request.Preset, request.Overrides, errors) is { } spec ? Plan(spec, errors) : null, errors);
    }

    /// <summary>The run's spec: path options (the method's and every domain's) confined to the allowed roots before anything
    /// looks at them (no probing of the machine), then the options with the domain's checks (it exists and offers what the
    /// method needs). Null, with the errors by field, when anything is wrong.</summary>
    RunSpec? Build(IExperimentMethod method, string? preset, System.Text.Json.Nodes.JsonObject? overrides, Dictionary<string, string[]> errors)
    {
        foreach (var optionsType in domains.All.Select(d => d.OptionsType).Append(method.OptionsType).Distinct())
            ConfinePaths(optionsType, overrides, errors);
        if (errors.Count > 0) return null;
        try { return RunSpec.Build(method, PresetOf(method, preset), overrides, domains); }
        catch (OptionsValidationException e) { foreach (var (field, messages) in e.Errors) errors[field] = messages; return null; }
    }

    /// <summary>The device the lab runs new runs on.</summary>
    public string Device => devices.Default;

    /// <summary>The memory plan of <paramref name="spec"/> on the lab's default device (null when the start model's shape
    /// cannot be read); a domain that cannot be configured for the run (an LLM judge this host lacks) is an error.</summary>
    public Training.Methods.Common.PlanVerdict? Plan(RunSpec spec, Dictionary<string, string[]> errors)
    {
        Training.Domains.IDomain? domain;
        try { domain = spec.ConfiguredDomain(domains, devices.Default, lab.Value.Judge.ToSettings()); }
        catch (ArgumentException e) { errors["domain"] = [e.Message]; return null; }
        var available = lab.Value.DeviceMemoryGiB is { } gib ? (long)(gib * (1L << 30)) : Training.Runtime.DeviceMemory.Bytes(devices.Default);
        return domain is null ? null : Training.Methods.Common.PlanVerdicts.Of(spec, domain, devices.Default, available);
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

    async Task EnqueueAsync(Experiment experiment, CancellationToken ct) =>
        experiment.JobId = await queue.EnqueueAsync(db, notifier, experiment.Id, experiment.Device, ct) ?? experiment.JobId;

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
}
