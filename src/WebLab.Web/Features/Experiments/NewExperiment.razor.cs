// The launch form: method, preset, then one input per option of the method (from its OptionsType), validated as you type.
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Components;
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Methods;

namespace WebLab.Web.Features.Experiments;

public partial class NewExperiment
{
    [Inject] IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] internal MethodCatalog Catalog { get; set; } = default!;

    /// <summary>Clone: prefill from this experiment.</summary>
    [SupplyParameterFromQuery(Name = "clone")] public long? CloneOf { get; set; }

    string? methodName, preset, name, notes, tags;
    /// <summary>The sweep's two axes as typed: an option and its comma-separated values (none chosen: a single run).</summary>
    readonly (string? Option, string? Values)[] sweep = new (string?, string?)[SweepGrid.MaxAxes];
    long? parentId;
    bool launching;
    IReadOnlyList<OptionField> fields = [];
    JsonObject presetValues = new(), values = new();
    List<Experiment> parents = [];
    internal Dictionary<string, string[]> Errors { get; private set; } = [];

    IExperimentMethod? Method => methodName is not null && Catalog.TryGet(methodName, out var m) ? m : null;

    protected override async Task OnInitializedAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ExperimentService>();
        parents = await service.ListAsync();
        if (CloneOf is { } id && await service.FindAsync(id) is { } source && Catalog.TryGet(source.Method, out _))
        {
            SelectMethod(source.Method, source.Preset);
            values = JsonNode.Parse(source.ConfigJson)!.AsObject();
            (name, parentId, tags) = ($"{source.Name} (clone)", source.ParentExperimentId, string.Join(", ", RunTags.Of(source.Tags)));
            Validate();
        }
        else if (Catalog.All.FirstOrDefault() is { } first) SelectMethod(first.Name, null);
    }

    void SelectMethod(string method, string? wantedPreset)
    {
        methodName = method;
        var m = Method!;
        fields = OptionsSchema.Fields(m.OptionsType);
        SelectPreset(wantedPreset is not null && m.Presets.ContainsKey(wantedPreset) ? wantedPreset
            : m.Presets.ContainsKey(ExperimentService.DefaultPreset) ? ExperimentService.DefaultPreset : m.Presets.Keys.FirstOrDefault());
    }

    void SelectPreset(string? p)
    {
        preset = p;
        presetValues = JsonNode.Parse(MethodOptions.ToJson(MethodOptions.Build(Method!, p, null)))!.AsObject();
        values = (JsonObject)presetValues.DeepClone();
        Errors = [];
    }

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

    void Validate()
    {
        Errors = [];
        try { MethodOptions.Build(Method!, preset, Overrides()); }
        catch (OptionsValidationException e) { Errors = e.Errors.ToDictionary(x => x.Key, x => x.Value); }
        if (Errors.Count > 0 || SweepAxes() is not { Count: > 0 } axes) return;
        // every grid point must make valid options too: the first point that does not names its field beside its axis
        var (points, gridErrors) = SweepGrid.Points(axes);
        foreach (var (k, v) in gridErrors) Errors[k] = v;
        foreach (var point in points)
        {
            var overrides = Overrides();
            foreach (var (option, value) in point) overrides[option] = value.DeepClone();
            try { MethodOptions.Build(Method!, preset, overrides); }
            catch (OptionsValidationException e)
            {
                foreach (var (field, messages) in e.Errors)
                {
                    int axis = Array.FindIndex(sweep, a => a.Option == field);
                    Errors[axis >= 0 ? $"axes[{axis}].values" : field] = [.. messages.Select(m => $"{m} (at {SweepGrid.Label(point)})")];
                }
                return;
            }
        }
    }

    /// <summary>The axes chosen in the form, values parsed by the option's type.</summary>
    List<SweepAxis> SweepAxes() => [.. sweep.Where(a => a.Option is not null).Select(a =>
    {
        var type = fields.FirstOrDefault(f => f.Name == a.Option)?.Type;
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
        var service = scope.ServiceProvider.GetRequiredService<ExperimentService>();
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
