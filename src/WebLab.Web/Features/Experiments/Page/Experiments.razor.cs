// The experiments list: filters, and live status/progress from the notifier.
using Microsoft.AspNetCore.Components;
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public partial class Experiments : IDisposable
{
    [Inject] IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] ExperimentNotifier Notifier { get; set; } = default!;
    [Inject] internal MethodCatalog Catalog { get; set; } = default!;
    /// <summary>A search to start with (a tag chip links here as ?q=tag:x).</summary>
    [SupplyParameterFromQuery(Name = "q")] public string? InitialQuery { get; set; }

    List<Experiment> rows = [];
    bool loading = true;
    string? query, statusFilter, methodFilter;
    IDisposable? subscription;

    protected override async Task OnInitializedAsync()
    {
        query = InitialQuery;
        await LoadAsync();
        subscription = Notifier.Subscribe(null, OnUpdate);
    }

    async Task LoadAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ExperimentReads>();
        rows = await scope.ServiceProvider.GetRequiredService<ExperimentService>().ListAsync(statusFilter, methodFilter, query);
        configs = rows.ToDictionary(r => r.Id, r => System.Text.Json.Nodes.JsonNode.Parse(r.ConfigJson) as System.Text.Json.Nodes.JsonObject);
        if (metricNames.Count == 0 || metricColumns.Count > 0) metricNames = await reads.MetricNamesAsync();
        latest = await reads.LatestValuesAsync([.. rows.Select(r => r.Id)], metricColumns);
        queued = scope.ServiceProvider.GetService<Queue.QueueService>() is { } q && rows.Any(r => r.Status == ExperimentStatus.Queued)
            ? (await q.ListAsync()).ToDictionary(i => i.Id) : [];
        loading = false;
    }

    // columns a person chose: config values (from each run's stored options) and metrics (each run's latest value)
    IReadOnlyCollection<string> configColumns = [], metricColumns = [];
    Dictionary<long, System.Text.Json.Nodes.JsonObject?> configs = [];
    List<string> metricNames = [];
    Dictionary<(long, string), double> latest = [];

    IEnumerable<string> ConfigKeys => configs.Values.SelectMany(c => c?.Select(kv => kv.Key) ?? []).Distinct().Order(StringComparer.Ordinal);
    string ConfigValue(Experiment e, string key) => configs.GetValueOrDefault(e.Id)?[key] is { } v ? Short(v.ToJsonString().Trim('"')) : "–";
    /// <summary>Numbers sort as numbers, the rest as text.</summary>
    IComparable ConfigSortKey(Experiment e, string key) => configs.GetValueOrDefault(e.Id)?[key] is System.Text.Json.Nodes.JsonValue v
        && v.TryGetValue<double>(out var d) ? (IComparable)(d, "") : (double.NegativeInfinity, ConfigValue(e, key));
    double? MetricValue(Experiment e, string name) => latest.TryGetValue((e.Id, name), out var v) ? v : null;
    string ColumnsKey => string.Join("|", configColumns) + "||" + string.Join("|", metricColumns);
    static string Short(string s) => s.Length <= 40 ? s : s[..40] + "…";

    Task OnConfigColumnsChanged(IEnumerable<string>? v) { configColumns = v?.ToList() ?? []; return Task.CompletedTask; }
    Task OnMetricColumnsChanged(IEnumerable<string>? v) { metricColumns = v?.ToList() ?? []; return LoadAsync(); }

    Task OnQueryChanged(string? v) { query = v; return LoadAsync(); }
    Task OnStatusChanged(string? v) { statusFilter = v; return LoadAsync(); }
    Task OnMethodChanged(string? v) { methodFilter = v; return LoadAsync(); }

    // Selection is kept by id: a reload (filters, live updates) brings new row objects, and a run picked before a filter
    // hid it stays picked.
    readonly SortedSet<long> selectedIds = [];
    HashSet<Experiment> SelectedRows => [.. rows.Where(r => selectedIds.Contains(r.Id))];
    string CompareHref => $"/compare?ids={string.Join(",", selectedIds)}";

    void OnSelectionChanged(HashSet<Experiment> items)
    {
        foreach (var r in rows) selectedIds.Remove(r.Id);                  // what is shown is decided by the grid…
        foreach (var r in items) selectedIds.Add(r.Id);                    // …what is hidden stays as it was
    }

    static double? Eta(Experiment e) => Features.Experiments.Eta.Left(e, DateTimeOffset.UtcNow);

    /// <summary>The waiting runs' places in the queue (position on their device, expected start), by id.</summary>
    Dictionary<long, Queue.QueueItemDto> queued = [];

    /// <summary>"queued #2 · starts in about 4m 10s" (or "… start not yet known" while a run ahead has no estimate).</summary>
    string QueueText(Experiment e) => queued.TryGetValue(e.Id, out var q)
        ? $"queued #{q.Position} on {q.Device} · " + (q.StartsInSeconds is { } s ? s < 1 ? "starting" : $"starts in about {Components.Shared.Format.Duration((long)Math.Ceiling(s))}" : "start not yet known")
        : "queued · starting";

    Task OnUpdate(ExperimentUpdate update) => InvokeAsync(async () =>
    {
        switch (update)
        {
            case ProgressUpdate p when rows.Find(r => r.Id == p.ExperimentId) is { } row:
                (row.Step, row.TotalSteps) = (p.Step, p.Total);
                if (p.Headline is { } h) row.HeadlineMetricValue = h;
                break;
            case StatusUpdate:
                await LoadAsync();
                break;
            default:
                return;
        }
        StateHasChanged();
    });

    public void Dispose() => subscription?.Dispose();
}
