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

    List<Experiment> rows = [];
    bool loading = true;
    string? query, statusFilter, methodFilter;
    IDisposable? subscription;

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        subscription = Notifier.Subscribe(null, OnUpdate);
    }

    async Task LoadAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        rows = await scope.ServiceProvider.GetRequiredService<ExperimentService>().ListAsync(statusFilter, methodFilter, query);
        loading = false;
    }

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
