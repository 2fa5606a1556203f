// Shows self-play rounds; follows the newest step while it is selected, and redraws the family-share and level-share
// charts (what the Challenger writes, and how hard) when new points arrive.
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebLab.Web.Features.Experiments;

using WebLab.Web.Components.Shared;

namespace WebLab.Web.Features.SelfPlay;

public partial class SelfPlayTab
{
    /// <summary>All samples of the run (both roles); the tab picks the challenger steps.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<SampleDto> Samples { get; set; } = [];
    /// <summary>All metric series of the run by name; the tab charts the <c>challenger/family/*</c> and <c>challenger/level/*</c> ones.</summary>
    [Parameter, EditorRequired] public IReadOnlyDictionary<string, List<MetricDto>> Series { get; set; } = new Dictionary<string, List<MetricDto>>();
    [Inject] IJSRuntime JS { get; set; } = default!;

    const string ChartId = "chart-selfplay-families", LevelChartId = "chart-selfplay-levels";
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
        var points = Series.Where(kv => kv.Key.StartsWith(SelfPlayRounds.FamilyMetricPrefix, StringComparison.Ordinal)
            || kv.Key.StartsWith(SelfPlayRounds.LevelMetricPrefix, StringComparison.Ordinal)).Sum(kv => kv.Value.Count);
        if (points == drawnPoints) return;
        drawnPoints = points;
        var (xs, names, ys) = SelfPlayRounds.Shares(Series, SelfPlayRounds.FamilyMetricPrefix);
        await JS.InvokeVoidAsync("weblabCharts.renderMulti", ChartId, "task-family shares", xs, names, ys, new { stacked = true });
        var (lx, levels, ly) = SelfPlayRounds.Shares(Series, SelfPlayRounds.LevelMetricPrefix);
        await JS.InvokeVoidAsync("weblabCharts.renderMulti", LevelChartId, "query level shares (valid queries)", lx, levels.Select(l => "level " + l).ToList(), ly, new { stacked = true });
    }
}
