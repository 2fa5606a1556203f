// The results view: reads runs through ResultsService, groups them with ResultsTable (the same code the API's Markdown and
// CSV come from), and keeps its choices in the URL (?tag=…&group=…&metrics=…) so a table can be shared.
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using WebLab.Web.Data;

namespace WebLab.Web.Features.RunGroups;

public partial class ResultsPage
{
    [Inject] IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;

    [SupplyParameterFromQuery(Name = "tag")] public string? TagQuery { get; set; }
    [SupplyParameterFromQuery(Name = "group")] public string? GroupQuery { get; set; }
    [SupplyParameterFromQuery(Name = "metrics")] public string? MetricsQuery { get; set; }

    string? tag;
    IReadOnlyCollection<string> groupBy = ResultsTable.DefaultGroup;
    IReadOnlyCollection<string> metrics = [];
    IReadOnlyList<RunResult> runs = [];
    IReadOnlyList<ResultGroup> groups = [];
    List<string> keys = [];
    List<string> metricNames = [];
    int seeds;

    protected override async Task OnParametersSetAsync()
    {
        tag = string.IsNullOrWhiteSpace(TagQuery) ? null : TagQuery.Trim();
        groupBy = ResultsApi.Names(GroupQuery) is { Count: > 0 } g ? g : ResultsTable.DefaultGroup;
        metrics = ResultsApi.Names(MetricsQuery);
        await using var scope = Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebLabDb>();
        metricNames = await db.MetricPoints.AsNoTracking().Where(m => m.Name.StartsWith("eval/")).Select(m => m.Name).Distinct().OrderBy(n => n).ToListAsync();
        runs = await scope.ServiceProvider.GetRequiredService<ResultsService>().RunsAsync(tag, [.. metrics]);
        keys = [.. ResultsTable.DefaultGroup.Concat(runs.SelectMany(r => r.Values.Keys).Distinct().Order(StringComparer.Ordinal)).Distinct()];
        groups = ResultsTable.Group(runs, [.. groupBy], [.. metrics]);
        seeds = groups.Count == 0 ? 0 : groups.Max(x => x.Runs.Count);
    }

    string Query() => string.Join('&', new[]
    {
        tag is null ? null : "tag=" + Uri.EscapeDataString(tag),
        "group=" + Uri.EscapeDataString(string.Join(',', groupBy)),
        metrics.Count == 0 ? null : "metrics=" + Uri.EscapeDataString(string.Join(',', metrics)),
    }.Where(p => p is not null));

    string ExportHref(string format) => $"/api/results?{Query()}&format={format}";

    void Go() => Navigation.NavigateTo($"/results?{Query()}");

    void OnTagChanged(string? value) { tag = string.IsNullOrWhiteSpace(value) ? null : value.Trim(); Go(); }

    void OnGroupChanged(IEnumerable<string> value) { groupBy = value.ToList() is { Count: > 0 } g ? g : ResultsTable.DefaultGroup; Go(); }

    void OnMetricsChanged(IEnumerable<string> value) { metrics = value.ToList(); Go(); }
}
