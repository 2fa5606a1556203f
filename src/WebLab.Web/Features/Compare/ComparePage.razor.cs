// Loads the chosen runs' metric points, keeps them live from the notifier (deduped by id), and draws each selected metric
// as one uPlot chart of aligned, smoothed series (CompareSeries) through weblabCharts.renderMulti.
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.JSInterop;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Compare;

public partial class ComparePage : IDisposable
{
    [Inject] IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] ExperimentNotifier Notifier { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;

    /// <summary>Comma-separated experiment ids, e.g. "3,5".</summary>
    [SupplyParameterFromQuery(Name = "ids")] public string? IdsQuery { get; set; }

    List<Experiment> choices = [];
    IReadOnlyCollection<long> ids = [];
    IReadOnlyCollection<string> selected = [];
    double smoothing = 0.6;
    bool logY;
    readonly Dictionary<(long Run, string Metric), List<(long Step, double Value)>> points = [];
    readonly HashSet<long> seen = [];
    readonly HashSet<string> stale = [];
    IDisposable? subscription;
    IReadOnlyList<ConfigDiff.Row> differences = [];

    IEnumerable<string> Metrics => points.Keys.Where(k => ids.Contains(k.Run)).Select(k => k.Metric).Distinct().Order(StringComparer.Ordinal);

    static string ChartId(string metric) => "compare-" + string.Concat(metric.Select(c => char.IsLetterOrDigit(c) ? c : '_'));

    string Label(long id) => choices.FirstOrDefault(e => e.Id == id) is { } e ? $"#{e.Id} {e.Name} · {e.Method}" : $"#{id}";

    protected override async Task OnInitializedAsync()
    {
        subscription = Notifier.Subscribe(null, OnUpdate);                 // all runs; only the compared ones are kept
        await using var scope = Scopes.CreateAsyncScope();
        choices = await scope.ServiceProvider.GetRequiredService<WebLabDb>().Experiments.AsNoTracking().OrderByDescending(e => e.Id).ToListAsync();
        var wanted = (IdsQuery ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.TryParse(s, out var id) ? id : -1).Where(id => choices.Any(e => e.Id == id)).Distinct().ToList();
        await SetIdsAsync(wanted, updateUrl: false);
    }

    async Task SetIdsAsync(IReadOnlyCollection<long> chosen, bool updateUrl)
    {
        var added = chosen.Except(ids).ToList();
        ids = chosen;
        if (added.Count > 0)
        {
            await using var scope = Scopes.CreateAsyncScope();
            var rows = await scope.ServiceProvider.GetRequiredService<WebLabDb>().MetricPoints.AsNoTracking()
                .Where(m => added.Contains(m.ExperimentId)).OrderBy(m => m.Id)
                .Select(m => new { m.Id, m.ExperimentId, m.Name, m.Step, m.Value }).ToListAsync();
            foreach (var m in rows) Add(m.Id, m.ExperimentId, m.Name, m.Step, m.Value);
        }
        differences = ConfigDiff.Of([.. ids.Select(id => choices.First(e => e.Id == id).ConfigJson)]);
        // metrics every compared run has are shown at first (all of them for a single run)
        selected = [.. Metrics.Where(m => ids.All(id => points.ContainsKey((id, m))))];
        stale.UnionWith(Metrics);
        if (updateUrl) Navigation.NavigateTo($"/compare?ids={string.Join(',', ids)}", replace: true);
    }

    void Add(long pointId, long run, string metric, long step, double value)
    {
        if (!seen.Add(pointId)) return;
        if (!points.TryGetValue((run, metric), out var list)) points[(run, metric)] = list = [];
        list.Add((step, value));
        stale.Add(metric);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        foreach (var metric in stale.Where(selected.Contains).ToList())
        {
            stale.Remove(metric);
            var runs = ids.Where(id => points.ContainsKey((id, metric))).ToList();
            // evaluations are measurements, drawn as measured (never smoothed across evaluations) on their natural range,
            // as the run page draws them
            var display = Charts.ChartDisplay.Of(metric);
            var (xs, ys) = CompareSeries.Align([.. runs.Select(id => (IReadOnlyList<(long, double)>)points[(id, metric)])], display.Sparse ? 0 : smoothing);
            await JS.InvokeVoidAsync("weblabCharts.renderMulti", ChartId(metric), metric, xs, runs.Select(Label).ToArray(), ys,
                new { logY, sparse = display.Sparse, min = display.Min, max = display.Max });
        }
    }

    Task OnUpdate(ExperimentUpdate update) => update is MetricsUpdate m && ids.Contains(m.ExperimentId)
        ? InvokeAsync(() =>
        {
            foreach (var p in m.Points) Add(p.Id, m.ExperimentId, p.Name, p.Step, p.Value);
            StateHasChanged();
        })
        : Task.CompletedTask;

    Task OnIdsChanged(IEnumerable<long>? chosen) => SetIdsAsync(chosen?.ToList() ?? [], updateUrl: true);

    void OnSmoothingChanged(double v)
    {
        smoothing = v;
        stale.UnionWith(selected);
    }

    void OnLogYChanged(bool v)
    {
        logY = v;
        stale.UnionWith(selected);
    }

    void OnSelectedChanged(IReadOnlyCollection<string>? v)
    {
        var shown = v ?? [];
        stale.UnionWith(shown.Except(selected));                           // a chart shown again is drawn afresh
        selected = shown;
    }

    /// <summary>The summary table's rows: per selected metric and run, its final and best values with their steps.</summary>
    IEnumerable<CompareSummary.Row> Summary => Metrics.Where(selected.Contains).SelectMany(m => ids.Where(id => points.ContainsKey((id, m)))
        .Select(id => CompareSummary.Of(m, Label(id), points[(id, m)])));

    /// <summary>Per run, the win rate's W / T / L and sign-test p at its last evaluation (null for runs without one).</summary>
    IEnumerable<(string Run, CompareSummary.Tally Tally)> Tallies => ids.Select(id => (Label(id), CompareSummary.TallyOf(id, points)))
        .Where(x => x.Item2 is not null).Select(x => (x.Item1, x.Item2!));

    public void Dispose() => subscription?.Dispose();
}
