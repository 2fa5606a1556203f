// Shows self-play rounds; follows the newest step while it is selected, and redraws the family-share chart when new points arrive.
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebLab.Web.Features.Experiments;

using WebLab.Web.Components.Shared;

namespace WebLab.Web.Features.SelfPlay;

public partial class SelfPlayTab
{
    /// <summary>All samples of the run (both roles); the tab picks the challenger steps.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<SampleDto> Samples { get; set; } = [];
    /// <summary>All metric series of the run by name; the tab charts the <c>challenger/family/*</c> ones.</summary>
    [Parameter, EditorRequired] public IReadOnlyDictionary<string, List<MetricDto>> Series { get; set; } = new Dictionary<string, List<MetricDto>>();
    [Inject] IJSRuntime JS { get; set; } = default!;

    const string ChartId = "chart-selfplay-families";
    List<long> steps = [];
    int stepIndex;
    IReadOnlyList<ChallengerQuery> rounds = [];
    readonly HashSet<int> expanded = [];
    int seenSamples = -1, drawnPoints = -1;
    long? shownStep;

    long? CurrentStep => steps.Count == 0 ? null : steps[Math.Min(stepIndex, steps.Count - 1)];

    static string Num(double? x) => Format.Value(x);

    protected override void OnParametersSet()
    {
        if (Samples.Count == seenSamples) return;
        seenSamples = Samples.Count;
        var following = steps.Count == 0 || stepIndex >= steps.Count - 1;
        steps = SelfPlayRounds.Steps(Samples);
        if (following) stepIndex = Math.Max(0, steps.Count - 1);   // stay on the newest step unless scrubbing
        Refresh();
    }

    void OnStepChanged(int index)
    {
        stepIndex = index;
        Refresh();
    }

    void Refresh()
    {
        if (CurrentStep != shownStep) expanded.Clear();
        shownStep = CurrentStep;
        rounds = CurrentStep is { } step ? SelfPlayRounds.At(Samples, step) : [];
    }

    void Toggle(int index)
    {
        if (!expanded.Remove(index)) expanded.Add(index);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        var families = Series.Where(kv => kv.Key.StartsWith(SelfPlayRounds.FamilyMetricPrefix, StringComparison.Ordinal))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var points = families.Sum(kv => kv.Value.Count);
        if (points == drawnPoints) return;
        drawnPoints = points;
        // Align every family on the union of steps; a family absent at a step had share 0 there (the recipe logs only present ones).
        var xs = families.SelectMany(kv => kv.Value.Select(p => p.Step)).Distinct().Order().ToList();
        var ys = families.Select(kv =>
        {
            var byStep = kv.Value.GroupBy(p => p.Step).ToDictionary(g => g.Key, g => g.Last().Value);
            return xs.Select(x => byStep.TryGetValue(x, out var v) ? v : 0.0).ToList();
        }).ToList();
        var names = families.Select(kv => kv.Key[SelfPlayRounds.FamilyMetricPrefix.Length..]).ToList();
        await JS.InvokeVoidAsync("weblabCharts.renderMulti", ChartId, "task-family shares", xs, names, ys);
    }
}
