// The launch form: method, preset, then two panels of inputs, the method's options (from its OptionsType) and its
// domain's own (from the domain's OptionsType, when it has any), validated as you type. Values stay one flat object, the
// run's spec as the API takes it.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Methods;
using WebLab.Web.Features.Sweeps;

namespace WebLab.Web.Features.Experiments;

public partial class NewExperiment
{
    [Inject] IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] internal MethodCatalog Catalog { get; set; } = default!;
    [Inject] internal DomainCatalog Domains { get; set; } = default!;

    /// <summary>Clone: prefill from this experiment (an id; anything else is named in a message, never a blank page).</summary>
    [SupplyParameterFromQuery(Name = "clone")] public string? CloneOf { get; set; }
    /// <summary>Open the form on this method (a link from a method's description); an unknown one is named in a message.</summary>
    [SupplyParameterFromQuery(Name = "method")] public string? MethodQuery { get; set; }

    /// <summary>What the URL asked for that the form cannot do, in words (null: nothing).</summary>
    string? urlProblem;

    string? methodName, preset, name, notes, tags;
    /// <summary>The sweep's two axes as typed: an option and its comma-separated values (none chosen: a single run).</summary>
    readonly (string? Option, string? Values)[] sweep = new (string?, string?)[SweepGrid.MaxAxes];
    long? parentId;
    bool launching;
    IReadOnlyList<OptionField> fields = [], domainFields = [];
    JsonObject presetValues = new(), values = new();
    List<Experiment> parents = [];
    internal Dictionary<string, string[]> Errors { get; private set; } = [];
    /// <summary>The memory plan of the options as they stand (null: not worked out, or the start model's shape is unknown).</summary>
    Training.Methods.Common.PlanVerdict? plan;

    string PlanText(Training.Methods.Common.PlanVerdict v)
    {
        string F(long b) => Training.Models.MemoryPlan.Format(b);
        var p = v.Plan;
        return $"Memory plan: about {F(p.Total)} at the peak" + (v.Available is { } a ? $" of the device's {F(a)}" : " (the device's memory is unknown)")
            + $": weights {F(p.Weights)}, gradients {F(p.Gradients)}, optimizer {F(p.Optimizer)}, frozen networks {F(p.Frozen)}, "
            + $"activations {F(p.Activations)}, rollout cache {F(p.Cache)}; {p.Trainable:N0} of {p.Parameters:N0} parameters train.";
    }

    IExperimentMethod? Method => methodName is not null && Catalog.TryGet(methodName, out var m) ? m : null;

    protected override async Task OnInitializedAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ExperimentService>();
        parents = await service.ListAsync();
        if (Catalog.All.Count == 0) return;
        if (CloneOf is not null)
        {
            var source = long.TryParse(CloneOf, out var id) ? await service.FindAsync(id) : null;
            if (source is not null && Catalog.TryGet(source.Method, out _))
            {
                SelectMethod(source.Method, source.Preset);
                values = JsonNode.Parse(source.ConfigJson)!.AsObject();
                SelectDomain();
                (name, parentId, tags) = ($"{source.Name} (clone)", source.ParentExperimentId, string.Join(", ", RunTags.Of(source.Tags)));
                Validate();
                return;
            }
            urlProblem = !long.TryParse(CloneOf, out _) ? $"Cannot clone '{Shorten(CloneOf)}': an experiment's id is a whole number. Showing a new form instead."
                : source is null ? $"There is no experiment {CloneOf} to clone. Showing a new form instead."
                : $"Experiment {CloneOf} used the method '{source.Method}', which this lab no longer offers. Showing a new form instead.";
        }
        else if (MethodQuery is not null && !Catalog.TryGet(MethodQuery, out _))
            urlProblem = $"There is no method '{Shorten(MethodQuery)}'; known: {string.Join(", ", Catalog.All.Select(m => m.Name))}. Showing {Catalog.All.First().Name} instead.";
        SelectMethod(MethodQuery is not null && Catalog.TryGet(MethodQuery, out var asked) ? asked.Name : Catalog.All.First().Name, null);
    }

    static string Shorten(string s) => s.Length <= 60 ? s : s[..60] + "…";

    void SelectMethod(string method, string? wantedPreset)
    {
        methodName = method;
        var m = Method!;
        fields = OptionsSchema.Fields(m, Domains);
        SelectPreset(wantedPreset is not null && m.Presets.ContainsKey(wantedPreset) ? wantedPreset
            : m.Presets.ContainsKey(RunLaunches.DefaultPreset) ? RunLaunches.DefaultPreset : m.Presets.Keys.FirstOrDefault());
    }

    void SelectPreset(string? p)
    {
        preset = p;
        presetValues = RunSpec.Build(Method!, p, null).ToJsonObject();
        values = (JsonObject)presetValues.DeepClone();
        SelectDomain();
        Validate();                                                         // a preset's own check and its memory plan, from the start
    }

    /// <summary>The domain panel follows the `domain` value: the old domain's options leave the values, the new one's come in
    /// at their defaults (or as the values already hold them).</summary>
    void SelectDomain()
    {
        foreach (var f in domainFields) values.Remove(f.Name);
        domainFields = values[OptionsSchema.DomainField] is JsonValue v && v.TryGetValue<string>(out var d) && Domains.TryGet(d, out var domain)
            ? OptionsSchema.Fields(domain) : [];
        foreach (var f in domainFields) values[f.Name] ??= f.Default?.DeepClone();
    }

    /// <summary>The selected domain's name, for the panel's title.</summary>
    string? DomainName => values[OptionsSchema.DomainField]?.GetValue<string>();

    void OnMethodChanged(string m)
    {
        Array.Clear(sweep);
        SelectMethod(m, null);
    }
    void OnPresetChanged(string p) => SelectPreset(p);

    JsonNode? ValueOf(string field) => values[field];
    string? ErrorOf(string field) => Errors.TryGetValue(field, out var e) ? string.Join(" ", e) : null;

    void OnValueChanged(string field, JsonNode? value)
    {
        values[field] = value;
        if (field == OptionsSchema.DomainField) SelectDomain();
        Validate();
    }

    // Only what differs from the preset is sent, so the record shows preset + overrides.
    JsonObject Overrides()
    {
        var o = new JsonObject();
        foreach (var (k, v) in values)
            if (!JsonNode.DeepEquals(v, presetValues[k])) o[k] = v?.DeepClone();
        return o;
    }

    void OnNameChanged(string? v) { name = v; Validate(); }
    void OnNotesChanged(string? v) { notes = v; Validate(); }
    void OnTagsChanged(string? v) { tags = v; Validate(); }

    /// <summary>The launch's own checks (ExperimentService.Check, which the API makes too): name, notes, tags, path options
    /// confined before anything looks at them, the options; then every grid point of a sweep.</summary>
    void Validate()
    {
        using var scope = Scopes.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<RunLaunches>();
        Errors = [];
        service.Check(Method!, preset, Request(Overrides()), Errors, out plan);   // the plan the check worked out, not a second one
        if (Errors.Count > 0) plan = null;
        if (Errors.Count > 0 || SweepAxes() is not { Count: > 0 } axes) return;
        // every grid point must make valid options too: the first point that does not names its field beside its axis
        var (points, gridErrors) = SweepGrid.Points(axes);
        foreach (var (k, v) in gridErrors) Errors[k] = v;
        foreach (var point in points)
        {
            var overrides = Overrides();
            foreach (var (option, value) in point) overrides[option] = value.DeepClone();
            var pointErrors = new Dictionary<string, string[]>();
            service.Check(Method!, preset, Request(overrides), pointErrors);
            if (pointErrors.Count == 0) continue;
            foreach (var (field, messages) in pointErrors)
            {
                int axis = Array.FindIndex(sweep, a => a.Option == field);
                Errors[axis >= 0 ? $"axes[{axis}].values" : field] = [.. messages.Select(m => $"{m} (at {SweepGrid.Label(point)})")];
            }
            return;
        }
    }

    CreateExperimentRequest Request(JsonObject overrides) => new(name, methodName, preset, overrides, parentId, notes, [.. RunTags.Split(tags)]);

    /// <summary>The axes chosen in the form, values parsed by the option's type.</summary>
    List<SweepAxis> SweepAxes() => [.. sweep.Where(a => a.Option is not null).Select(a =>
    {
        var type = fields.Concat(domainFields).FirstOrDefault(f => f.Name == a.Option)?.Type;
        var values = new JsonArray();
        foreach (var text in (a.Values ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            values.Add(type switch
            {
                "integer" or "number" => Components.Shared.OptionInput.ParseNumber(text, type == "integer"),
                "boolean" when bool.TryParse(text, out var b) => JsonValue.Create(b),
                _ => JsonValue.Create(text),
            });
        return new SweepAxis(a.Option, values);
    })];

    int? SweepPoints => SweepAxes() is { Count: > 0 } axes ? axes.Aggregate(1, (n, a) => n * (a.Values?.Count ?? 0)) : null;

    string? SweepError(int axis) => ErrorOf($"axes[{axis}].values") ?? ErrorOf($"axes[{axis}].option") ?? (axis == 0 ? ErrorOf("axes") : null);

    void OnSweepOptionChanged(int axis, string? option)
    {
        sweep[axis] = (option, option is null ? null : sweep[axis].Values);
        Validate();
    }

    void OnSweepValuesChanged(int axis, string? values)
    {
        sweep[axis] = (sweep[axis].Option, values);
        Validate();
    }

    async Task LaunchAsync()
    {
        launching = true;
        await using var scope = Scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<RunLaunches>();
        var tagList = RunTags.Split(tags).ToArray();
        if (SweepAxes() is { Count: > 0 } axes)
        {
            var sweepResult = await service.CreateSweepAsync(new CreateSweepRequest(name, methodName, preset, Overrides(), [.. axes], notes, tagList));
            launching = false;
            if (sweepResult.Sweep is { } s) Navigation.NavigateTo($"/sweeps/{s.Id}");
            else Errors = sweepResult.Errors.ToDictionary(x => x.Key, x => x.Value);
            return;
        }
        var result = await service.CreateAsync(new CreateExperimentRequest(name, methodName, preset, Overrides(), parentId, notes, tagList));
        launching = false;
        if (result.Experiment is { } e) Navigation.NavigateTo($"/experiments/{e.Id}");
        else Errors = result.Errors.ToDictionary(x => x.Key, x => x.Value);
    }
}
