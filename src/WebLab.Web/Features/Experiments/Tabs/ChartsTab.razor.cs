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
    /// <summary>The run's method: the metrics a person pins are remembered per method (in this browser, until sign-in).</summary>
    [Parameter] public string? Method { get; set; }
    [Inject] IJSRuntime JS { get; set; } = default!;

    public const string PinnedGroup = "pinned";
    string filter = "";
    string? filterError;
    System.Text.RegularExpressions.Regex? filterRegex;

    /// <summary>Whether a metric passes the filter: a case-insensitive substring, or a regex written /like this/.</summary>
    bool Matches(string metric) =>
        filter.Length == 0 || (filterRegex?.IsMatch(metric) ?? metric.Contains(filter, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The selected metrics that pass the filter, by section: the pinned ones first (the headline, then those a person
    /// pinned), then each prefix (before the first '/') in order. Shares of one whole (<see cref="Charts.ChartDisplay.SharePrefixes"/>)
    /// are one stacked chart per prefix, and each family of per-split series (<see cref="Charts.ChartDisplay.SplitFamilies"/>) one
    /// chart of several lines, both named "prefix*".
    /// </summary>
    List<(string Group, List<string> Metrics)> Groups()
    {
        var shown = Series.Keys.Order().Where(m => selected.Contains(m) && Matches(m)).ToList();
        foreach (var prefix in MultiPrefixes)
            if (shown.RemoveAll(m => m.StartsWith(prefix, StringComparison.Ordinal)) > 0) shown.Add(prefix + StackSuffix);
        shown.Sort(StringComparer.Ordinal);
        var groups = new List<(string, List<string>)>();
        var pinnedShown = new List<string>();
        if (Headline is not null && shown.Remove(Headline)) pinnedShown.Add(Headline);
        pinnedShown.AddRange(pins.Where(shown.Remove));
        if (pinnedShown.Count > 0) groups.Add((PinnedGroup, pinnedShown));
        groups.AddRange(shown.GroupBy(m => m.Contains('/') ? m[..m.IndexOf('/')] : "other").Select(g => (g.Key, g.ToList())));
        return groups;
    }

    public const string StackSuffix = "*";
    static readonly string[] MultiPrefixes =
        [.. Charts.ChartDisplay.SharePrefixes, .. Charts.ChartDisplay.SplitFamilies];
    /// <summary>A chart of several series: a stack of shares or a family of per-split lines.</summary>
    static bool IsStack(string chart) => chart.EndsWith(StackSuffix, StringComparison.Ordinal);
    static bool IsShares(string chart) => Charts.ChartDisplay.SharePrefixes.Contains(chart[..^StackSuffix.Length]);
    static string? StackOf(string metric) =>
        MultiPrefixes.FirstOrDefault(p => metric.StartsWith(p, StringComparison.Ordinal)) is { } p ? p + StackSuffix : null;

    List<string> pins = [];
    string PinsKey => $"weblab.pins.{Method ?? "any"}";
    bool IsPinned(string chart) => chart == Headline || pins.Contains(chart);

    async Task TogglePinAsync(string chart)
    {
        if (!pins.Remove(chart)) pins.Add(chart);
        drawn.Remove(chart);                                 // it moves to another section: a new element, drawn again
        await JS.InvokeVoidAsync("localStorage.setItem", PinsKey, System.Text.Json.JsonSerializer.Serialize(pins));
    }

    void OnFilterChanged(string? value)
    {
        filter = value?.Trim() ?? "";
        (filterRegex, filterError) = (null, null);
        if (filter.Length > 2 && filter.StartsWith('/') && filter.EndsWith('/'))
            try { filterRegex = new(filter[1..^1], System.Text.RegularExpressions.RegexOptions.IgnoreCase, TimeSpan.FromMilliseconds(50)); }
            catch (ArgumentException e) { filterError = $"not a regex: {e.Message}"; }
        var visible = Groups().SelectMany(g => g.Metrics).ToHashSet();
        drawn.IntersectWith(visible);                        // charts filtered out leave the page: redraw them when they return
    }

    IReadOnlyCollection<string> selected = [];
    readonly HashSet<string> known = [], drawn = [];
    readonly Dictionary<string, DateTime> stackDrawnAt = [];
    readonly HashSet<string> staleStacks = [];
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
        if (firstRender)
        {
            var stored = await JS.InvokeAsync<string?>("localStorage.getItem", PinsKey);
            try { pins = stored is null ? [] : System.Text.Json.JsonSerializer.Deserialize<List<string>>(stored) ?? []; }
            catch (System.Text.Json.JsonException) { pins = []; }
            await ReadWorkspacesAsync();
            // pinned charts move to the pinned section, into new elements: drawn again after that render (a render the
            // page's history caused while this one awaited the browser may have drawn them in their old places)
            drawn.ExceptWith(pins);
            if (pins.Count > 0 || workspaces.Count > 0) { StateHasChanged(); return; }
        }
        foreach (var chart in Groups().SelectMany(g => g.Metrics).Where(c => !drawn.Contains(c)).ToList())
        {
            drawn.Add(chart);
            if (IsStack(chart)) { stackDrawnAt[chart] = DateTime.UtcNow; await DrawStackAsync(chart); }
            else await JS.InvokeVoidAsync("weblabCharts.render", ChartId(chart), chart, Series[chart], new { smoothing, xAxis, logY, shareX = true }, Charts.ChartDisplay.Of(chart));
        }
        await DrawStaleStacksAsync();
    }

    Task DrawStackAsync(string chart)
    {
        var prefix = chart[..^StackSuffix.Length];
        if (IsShares(chart))
        {
            var (xs, names, ys) = WebLab.Web.Features.SelfPlay.SelfPlayRounds.Shares(Series, prefix);
            return JS.InvokeVoidAsync("weblabCharts.renderMulti", ChartId(chart), chart + " (stacked shares)", xs, names, ys, new { stacked = true, shareX = true }).AsTask();
        }
        // a family of per-split lines: evaluations drawn as measured points, on the family's natural range
        var (lx, lnames, lys) = SplitLines(Series, prefix);
        var display = Charts.ChartDisplay.Of(prefix + "x");
        return JS.InvokeVoidAsync("weblabCharts.renderMulti", ChartId(chart), chart, lx, lnames, lys,
            new { stacked = false, sparse = display.Sparse, min = display.Min, max = display.Max, logY, shareX = true }).AsTask();
    }

    /// <summary>
    /// The series under <paramref name="prefix"/> aligned on their steps: xs ascending, one row per split (named by what
    /// follows the prefix, in order), null where a split has no point at a step (the line spans the gap).
    /// {a: (0, .5), (10, .7); b: (10, .2)} → xs [0, 10], names [a, b], ys [[.5, .7], [null, .2]].
    /// </summary>
    public static (List<long> Steps, List<string> Names, List<List<double?>> Values) SplitLines(
        IReadOnlyDictionary<string, List<MetricDto>> series, string prefix)
    {
        // Compare's aligner, unsmoothed: the same union of steps, last value per step, null where a series has none
        var chosen = series.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var (xs, ys) = Compare.CompareSeries.Align([.. chosen.Select(kv => (IReadOnlyList<(long, double)>)[.. kv.Value.Select(p => (p.Step, p.Value))])], smoothing: 0);
        return ([.. xs.Select(x => (long)x)], [.. chosen.Select(kv => kv.Key[prefix.Length..])], [.. ys.Select(y => y.ToList())]);
    }

    /// <summary>Appends new points to the charts already drawn (the others are drawn whole when they are rendered).</summary>
    public async Task AppendAsync(IReadOnlyList<MetricDto> points)
    {
        // one interop call for every chart an update touches: a page watching a run answers within the notifier's bound
        // even when the browser is slow (fifteen charts used to be fifteen round trips per update)
        var batches = points.GroupBy(p => p.Name).Where(g => drawn.Contains(g.Key))
            .Select(g => new { id = ChartId(g.Key), points = g.ToList() }).ToList();
        if (batches.Count > 0) await JS.InvokeVoidAsync("weblabCharts.appendMany", batches);
        // a stacked chart is redrawn whole (its upper series move with the lower ones), at most every 2 s
        // (a later render draws what the bound held back)
        staleStacks.UnionWith(points.Select(p => StackOf(p.Name)).OfType<string>().Where(drawn.Contains));
        await DrawStaleStacksAsync();
    }

    async Task DrawStaleStacksAsync()
    {
        foreach (var stack in staleStacks.ToList())
            if (DateTime.UtcNow - stackDrawnAt.GetValueOrDefault(stack) > TimeSpan.FromSeconds(2))
            {
                (stackDrawnAt[stack], _) = (DateTime.UtcNow, staleStacks.Remove(stack));
                await DrawStackAsync(stack);
            }
    }

    Task SetOptionsAsync() => JS.InvokeVoidAsync("weblabCharts.setOptions", new { smoothing, xAxis, logY, shareX = true }).AsTask();
    Task OnSmoothingChanged(double v) { smoothing = v; return SetOptionsAsync(); }
    Task OnXAxisChanged(string v) { xAxis = v; return SetOptionsAsync(); }
    Task OnLogYChanged(bool v) { logY = v; return SetOptionsAsync(); }

    /// <summary>A saved chart layout: the metrics hidden (so a metric the run has and the layout never saw still shows),
    /// the pins, the filter and the drawing options.</summary>
    public sealed record Workspace(List<string> Hidden, List<string> Pins, string Filter, double Smoothing, string XAxis, bool LogY);

    Dictionary<string, Workspace> workspaces = [];
    string? workspace, workspaceName, workspaceError;
    string WorkspacesKey => $"weblab.workspaces.{Method ?? "any"}";

    async Task ReadWorkspacesAsync()
    {
        var stored = await JS.InvokeAsync<string?>("localStorage.getItem", WorkspacesKey);
        try { workspaces = stored is null ? [] : System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, Workspace>>(stored) ?? []; }
        catch (System.Text.Json.JsonException) { workspaces = []; }
    }

    async Task SaveWorkspaceAsync()
    {
        var name = workspaceName?.Trim() ?? "";
        workspaceError = name.Length == 0 ? "name the layout" : name.Length > 60 ? "at most 60 characters" : null;
        if (workspaceError is not null) return;
        await ReadWorkspacesAsync();                                         // another tab may have saved one meanwhile
        workspaces[name] = new([.. Series.Keys.Where(m => !selected.Contains(m)).Order(StringComparer.Ordinal)], [.. pins], filter, smoothing, xAxis, logY);
        await JS.InvokeVoidAsync("localStorage.setItem", WorkspacesKey, System.Text.Json.JsonSerializer.Serialize(workspaces));
        (workspace, workspaceName) = (name, null);
    }

    async Task LoadWorkspaceAsync(string? name)
    {
        workspace = name;
        if (name is null || !workspaces.TryGetValue(name, out var w)) return;
        selected = [.. Series.Keys.Where(m => !w.Hidden.Contains(m))];
        pins = [.. w.Pins];
        await JS.InvokeVoidAsync("localStorage.setItem", PinsKey, System.Text.Json.JsonSerializer.Serialize(pins));
        (smoothing, xAxis, logY) = (w.Smoothing, w.XAxis, w.LogY);
        OnFilterChanged(w.Filter);
        drawn.Clear();                                                       // redrawn whole with the layout's options
        await SetOptionsAsync();
    }

    async Task DeleteWorkspaceAsync()
    {
        if (workspace is null) return;
        await ReadWorkspacesAsync();
        workspaces.Remove(workspace);
        await JS.InvokeVoidAsync("localStorage.setItem", WorkspacesKey, System.Text.Json.JsonSerializer.Serialize(workspaces));
        workspace = null;
    }

    void OnSelectedChanged(IReadOnlyCollection<string>? v)
    {
        selected = v ?? [];
        drawn.IntersectWith(Groups().SelectMany(g => g.Metrics));   // charts that are hidden then shown again are redrawn from the full series
    }
}
