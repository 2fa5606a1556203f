// The Charts tab. The page owns the series (history, then the live tail) and calls AppendAsync with each update's new
// points; a chart is drawn from its whole series when first shown, then appended to. Every metric is shown by default,
// including one that first appears mid-run.
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;

namespace WebLab.Web.Features.Experiments.Tabs;

public partial class ChartsTab
{
    /// <summary>Every metric series of the run by name, in arrival order.</summary>
    [Parameter, EditorRequired] public IReadOnlyDictionary<string, List<MetricDto>> Series { get; set; } = new Dictionary<string, List<MetricDto>>();
    /// <summary>The method's headline metric (e.g. eval/win_rate): its section comes first.</summary>
    [Parameter] public string? Headline { get; set; }
    [Inject] IJSRuntime JS { get; set; } = default!;

    public const string PinnedGroup = "pinned";
    string filter = "";
    string? filterError;
    System.Text.RegularExpressions.Regex? filterRegex;

    /// <summary>Whether a metric passes the filter: a case-insensitive substring, or a regex written /like this/.</summary>
    bool Matches(string metric) =>
        filter.Length == 0 || (filterRegex?.IsMatch(metric) ?? metric.Contains(filter, StringComparison.OrdinalIgnoreCase));

    /// <summary>The selected metrics that pass the filter, by section: the headline first, then each prefix (before the first '/') in order.</summary>
    List<(string Group, List<string> Metrics)> Groups()
    {
        var shown = Series.Keys.Order().Where(m => selected.Contains(m) && Matches(m)).ToList();
        var groups = new List<(string, List<string>)>();
        if (Headline is not null && shown.Remove(Headline)) groups.Add((PinnedGroup, [Headline]));
        groups.AddRange(shown.GroupBy(m => m.Contains('/') ? m[..m.IndexOf('/')] : "other").Select(g => (g.Key, g.ToList())));
        return groups;
    }

    void OnFilterChanged(string? value)
    {
        filter = value?.Trim() ?? "";
        (filterRegex, filterError) = (null, null);
        if (filter.Length > 2 && filter.StartsWith('/') && filter.EndsWith('/'))
            try { filterRegex = new(filter[1..^1], System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(50)); }
            catch (ArgumentException e) { filterError = $"not a regex: {e.Message}"; }
        drawn.IntersectWith(Series.Keys.Where(Matches));   // charts filtered out leave the page: redraw them when they return
    }

    IReadOnlyCollection<string> selected = [];
    readonly HashSet<string> known = [], drawn = [];
    double smoothing = 0.6;
    string xAxis = "step";
    bool logY;

    static string ChartId(string metric) => "chart-" + string.Concat(metric.Select(c => char.IsLetterOrDigit(c) ? c : '_'));

    protected override void OnParametersSet()
    {
        var fresh = Series.Keys.Where(known.Add).ToList();
        if (fresh.Count > 0) selected = [.. selected, .. fresh];             // a new metric is shown by default
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        foreach (var m in selected.Where(m => Series.ContainsKey(m) && Matches(m) && !drawn.Contains(m)).ToList())
        {
            drawn.Add(m);
            await JS.InvokeVoidAsync("weblabCharts.render", ChartId(m), m, Series[m], new { smoothing, xAxis, logY }, WebLab.Training.Experiments.MetricNames.Display(m));
        }
    }

    /// <summary>Appends new points to the charts already drawn (the others are drawn whole when they are rendered).</summary>
    public async Task AppendAsync(IReadOnlyList<MetricDto> points)
    {
        // one interop call for every chart an update touches: a page watching a run answers within the notifier's bound
        // even when the browser is slow (fifteen charts used to be fifteen round trips per update)
        var batches = points.GroupBy(p => p.Name).Where(g => drawn.Contains(g.Key))
            .Select(g => new { id = ChartId(g.Key), points = g.ToList() }).ToList();
        if (batches.Count > 0) await JS.InvokeVoidAsync("weblabCharts.appendMany", batches);
    }

    Task SetOptionsAsync() => JS.InvokeVoidAsync("weblabCharts.setOptions", new { smoothing, xAxis, logY }).AsTask();
    Task OnSmoothingChanged(double v) { smoothing = v; return SetOptionsAsync(); }
    Task OnXAxisChanged(string v) { xAxis = v; return SetOptionsAsync(); }
    Task OnLogYChanged(bool v) { logY = v; return SetOptionsAsync(); }

    void OnSelectedChanged(IReadOnlyCollection<string>? v)
    {
        selected = v ?? [];
        drawn.IntersectWith(selected);   // charts that are hidden then shown again are redrawn from the full series
    }
}
