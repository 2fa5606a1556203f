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

    string? methodName, preset, name, notes;
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
            (name, parentId) = ($"{source.Name} (clone)", source.ParentExperimentId);
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

    void OnMethodChanged(string m) => SelectMethod(m, null);
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
    }

    async Task LaunchAsync()
    {
        launching = true;
        await using var scope = Scopes.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<ExperimentService>()
            .CreateAsync(new CreateExperimentRequest(name, methodName, preset, Overrides(), parentId, notes));
        launching = false;
        if (result.Experiment is { } e) Navigation.NavigateTo($"/experiments/{e.Id}");
        else Errors = result.Errors.ToDictionary(x => x.Key, x => x.Value);
    }
}
