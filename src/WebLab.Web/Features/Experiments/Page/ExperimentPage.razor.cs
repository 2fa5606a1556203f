// One experiment, live: history from the DB first, then the notifier's tail, deduped by point id. The page owns the run's
// state (metrics, samples, checkpoints) and hands it to the tabs (Tabs/, SelfPlay, Review), which own their controls.
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using MudBlazor;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Experiments.Tabs;
using WebLab.Web.Features.SelfPlay;

namespace WebLab.Web.Features.Experiments;

public partial class ExperimentPage : IAsyncDisposable
{
    [Parameter] public long Id { get; set; }
    [Inject] IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] ExperimentNotifier Notifier { get; set; } = default!;
    [Inject] NavigationManager Navigation { get; set; } = default!;
    [Inject] IDialogService Dialogs { get; set; } = default!;
    [Inject] MethodCatalog Catalog { get; set; } = default!;
    [CascadingParameter] Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }

    /// <summary>The signed-in user; the page hides what they may not do (the services refuse it anyway).</summary>
    System.Security.Claims.ClaimsPrincipal user = new();
    bool CanChange => Accounts.LabAccess.MayChange(user, experiment?.CreatedBy);
    bool CanLaunch => Accounts.LabAccess.Allows(user, Accounts.LabPolicies.Launch);
    bool CanReview => Accounts.LabAccess.Allows(user, Accounts.LabPolicies.Review);

    int activeTab;

    /// <summary>The method decides the tabs (so they never appear or move while a run goes); a method this build no
    /// longer has falls back to what its records hold.</summary>
    RunRecords MethodRecords => experiment is not null && Catalog.TryGet(experiment.Method, out var m) ? m.Records : RunRecords.None;
    string? HeadlineOfMethod => experiment is not null && Catalog.TryGet(experiment.Method, out var m) ? m.HeadlineMetric : null;
    bool ShowSelfPlay => MethodRecords.HasFlag(RunRecords.ChallengerRounds) || hasChallenger;
    bool ShowEvaluation => MethodRecords.HasFlag(RunRecords.Verdicts) || hasVerdicts;
    bool ShowError => experiment is not null && (experiment.Status == ExperimentStatus.Failed || experiment.Error is not null);
    /// <summary>The Error tab's index: it comes last.</summary>
    int ErrorTab => 4 + (ShowSelfPlay ? 1 : 0) + (ShowEvaluation ? 1 : 0);
    string? deleteError;

    Experiment? experiment;
    bool loaded;
    double? eta;
    readonly Dictionary<string, List<MetricDto>> series = [];
    readonly HashSet<long> seenMetricIds = [], seenSampleIds = [];
    readonly List<SampleDto> samples = [];
    List<CheckpointDto> checkpoints = [];
    ChartsTab? charts;
    ExperimentNotifier.Subscription? subscription;
    DateTimeOffset lastUpdate = DateTimeOffset.UtcNow;
    bool hasChallenger, hasVerdicts;
    int evaluationRevision;

    protected override async Task OnInitializedAsync()
    {
        // Subscribe first, then load history: a point published in between is in both and deduped by id.
        subscription = Notifier.Subscribe(Id, OnUpdate);
        if (AuthState is not null) user = (await AuthState).User;
        await using var scope = Scopes.CreateAsyncScope();
        var reads = scope.ServiceProvider.GetRequiredService<ExperimentReads>();
        experiment = await reads.FindAsync(Id);
        loaded = true;
        if (experiment is null) return;
        AddMetrics(await reads.MetricsAsync(Id, limit: null));
        AddSamples(await reads.SamplesAsync(Id, limit: null));
        checkpoints = await reads.CheckpointsAsync(Id);
        hasVerdicts = await reads.HasVerdictsAsync(Id);
        if (ShowError) activeTab = ErrorTab;                                 // a failed run opens on why it failed
        eta = Eta.Left(experiment, DateTimeOffset.UtcNow);
    }

    List<MetricDto> AddMetrics(IReadOnlyList<MetricDto> points)
    {
        var fresh = points.Where(p => seenMetricIds.Add(p.Id)).ToList();
        foreach (var p in fresh)
        {
            if (!series.TryGetValue(p.Name, out var list)) series[p.Name] = list = [];
            list.Add(p);
        }
        return fresh;
    }

    /// <summary>A review saved from the Samples tab replaces that sample in the list (the Self-play tab shares it).</summary>
    void OnSampleReviewed(SampleDto saved)
    {
        var at = samples.FindIndex(s => s.Id == saved.Id);
        if (at >= 0) samples[at] = saved;
    }

    void AddSamples(IReadOnlyList<SampleDto> items)
    {
        samples.AddRange(items.Where(s => seenSampleIds.Add(s.Id)));
        hasChallenger = hasChallenger || samples.Any(s => s.Role == SelfPlayRounds.ChallengerRole);
    }

    Task OnUpdate(ExperimentUpdate update) => InvokeAsync(async () =>
    {
        lastUpdate = DateTimeOffset.UtcNow;
        if (experiment is null) return;
        switch (update)
        {
            case MetricsUpdate m:
                var fresh = AddMetrics(m.Points);
                if (charts is not null) await charts.AppendAsync(fresh);
                if (m.Points.Any(p => p.Name.StartsWith("eval/win_rate", StringComparison.Ordinal))) await RefreshVerdictsAsync();
                break;
            case SamplesUpdate s: AddSamples(s.Samples); break;
            case ProgressUpdate p: (experiment.Step, experiment.TotalSteps, eta) = (p.Step, p.Total, p.EtaSeconds); break;
            case StatusUpdate:
                await using (var scope = Scopes.CreateAsyncScope())
                {
                    var reads = scope.ServiceProvider.GetRequiredService<ExperimentReads>();
                    var wasFailed = experiment.Status == ExperimentStatus.Failed;
                    experiment = await reads.FindAsync(Id) ?? experiment;
                    checkpoints = await reads.CheckpointsAsync(Id);
                    if (!experiment.IsActive) eta = null;
                    if (!wasFailed && experiment.Status == ExperimentStatus.Failed) activeTab = ErrorTab;   // it just failed: say why
                }
                await RefreshVerdictsAsync();
                break;
        }
        StateHasChanged();
    });

    // Verdicts are not streamed: an evaluation's win-rate metrics or a status change mean new ones may be stored.
    async Task RefreshVerdictsAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        hasVerdicts = await scope.ServiceProvider.GetRequiredService<ExperimentReads>().HasVerdictsAsync(Id);
        evaluationRevision++;
    }

    /// <summary>The step a stopped run can resume after (its "latest" state), else null.</summary>
    long? ResumeStep => experiment?.Status is ExperimentStatus.Failed or ExperimentStatus.Cancelled
        ? checkpoints.FirstOrDefault(c => c.Kind == CheckpointKinds.Latest)?.Step : null;

    // Resuming removes what the run logged after its state; the page reloads so its charts hold each step once.
    // A role or owner changed since the page was drawn: the service refuses, and the page says why instead of failing.
    async Task Refusable(Func<Task> action)
    {
        try { await action(); }
        catch (Accounts.ForbiddenActionException ex) { deleteError = ex.Message; }
    }

    Task ResumeAsync() => Refusable(ResumeCoreAsync);
    Task DeleteAsync() => Refusable(DeleteCoreAsync);
    Task CancelAsync() => Refusable(CancelCoreAsync);

    async Task ResumeCoreAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<ExperimentService>();
        var (outcome, count) = await service.ResumeAsync(Id);
        if (outcome == ResumeOutcome.ReviewsWouldBeLost)
        {
            var sure = await Dialogs.ShowMessageBoxAsync("Resume and lose reviews?",
                $"{count} reviewed verdicts and samples come after step {ResumeStep}, the saved state: resuming deletes them with the rest of " +
                "what the run logged after it. Export → Verdicts and Samples keep a copy.", yesText: "Resume anyway", cancelText: "Keep them");
            if (sure != true) return;
            (outcome, _) = await service.ResumeAsync(Id, discardReviews: true);
        }
        if (outcome == ResumeOutcome.Queued) Navigation.NavigateTo($"/experiments/{Id}", forceLoad: true);
    }

    async Task DeleteCoreAsync()
    {
        var sure = await Dialogs.ShowMessageBoxAsync("Delete experiment",
            $"Delete #{Id} {experiment?.Name}: its metrics, samples, verdicts, reviews and checkpoint files? This cannot be undone.",
            yesText: "Delete", cancelText: "Keep it");
        if (sure != true) return;
        await using var scope = Scopes.CreateAsyncScope();
        var (outcome, children) = await scope.ServiceProvider.GetRequiredService<ExperimentService>().DeleteAsync(Id);
        if (outcome == DeleteOutcome.Deleted) Navigation.NavigateTo("/");
        else deleteError = outcome == DeleteOutcome.HasChildren
            ? $"Not deleted: {string.Join(", ", children.Select(c => "#" + c))} start from its checkpoint; delete those first."
            : "Not deleted: the run is queued or running; cancel it first.";
    }

    async Task CancelCoreAsync()
    {
        await using var scope = Scopes.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ExperimentService>().CancelAsync(Id);
    }

    public ValueTask DisposeAsync()
    {
        subscription?.Dispose();
        return ValueTask.CompletedTask;
    }
}
