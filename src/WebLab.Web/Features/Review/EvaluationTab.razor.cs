// Loads the run's verdicts and win-rate rows through EvaluationService; reloads when the page bumps Revision (status changes).
using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Features.Review;

public partial class EvaluationTab : IDisposable
{
    [Parameter, EditorRequired] public long ExperimentId { get; set; }
    /// <summary>Bumped by the page when new verdicts may exist; the tab reloads then.</summary>
    [Parameter] public int Revision { get; set; }
    [Inject] IServiceScopeFactory Scopes { get; set; } = default!;
    [Inject] IJSRuntime JS { get; set; } = default!;

    ElementReference browser;
    DotNetObjectReference<EvaluationTab>? self;
    Task keys = Task.CompletedTask;

    List<ExperimentChoice> choices = [];
    IReadOnlyCollection<long> compared = [];
    List<WinRateRow> rows = [];
    List<VerdictDto> all = [], verdicts = [];
    List<long> steps = [];
    long step, selectedId;
    VerdictFilter filter = new();
    Agreement agreement = new(0, 0, 0, 0);
    IReadOnlyList<JudgeAgreement> judgeAgreement = [];
    string? comment, reviewError;
    string reviewer = "";
    List<ReviewEventDto> history = [];
    IReadOnlyList<ReviewerPair> pairs = [];
    int loadedRevision = -1;

    IEnumerable<string> Splits => rows.SelectMany(r => r.Splits.Keys).Distinct().Order(StringComparer.Ordinal);
    /// <summary>The filtered verdicts, in step order, or in this reviewer's queue order (ReviewQueue) fixed when the switch is
    /// turned on, so a review does not move the list under the reviewer's keys.</summary>
    IEnumerable<VerdictDto> Shown => queue is { } order
        ? EvaluationService.Filter(verdicts, filter).OrderBy(v => order.TryGetValue(v.Id, out var k) ? k : int.MaxValue)
        : EvaluationService.Filter(verdicts, filter);
    Dictionary<long, int>? queue;
    bool QueueOrder
    {
        get => queue is not null;
        set => queue = value ? ReviewQueue.Order(verdicts, history, ReviewerName).Select((v, k) => (v.Id, k)).ToDictionary(x => x.Id, x => x.k) : null;
    }
    [CascadingParameter] Task<Microsoft.AspNetCore.Components.Authorization.AuthenticationState>? AuthState { get; set; }
    string? signedIn;
    /// <summary>Who the queue is for: the signed-in account, or in Mode None the typed name ("anonymous" when none).</summary>
    string ReviewerName => signedIn ?? EvaluationService.ReviewerName(reviewer);
    string method = "";
    VerdictDto? Selected => verdicts.FirstOrDefault(v => v.Id == selectedId);

    static string Cell(WinRateCell? c) => c?.WinRate is { } r ? $"{r * 100:0.0}% ({c.Wins}/{c.Ties}/{c.Losses})" : "–";
    static string Short(string s) => s.Length <= 80 ? s : s[..80] + "…";
    static MudBlazor.Variant ButtonVariant(VerdictDto v, string status) => v.ReviewStatus == status ? MudBlazor.Variant.Filled : MudBlazor.Variant.Outlined;

    string ChoiceName(long id) => choices.FirstOrDefault(c => c.Id == id) is { } c ? $"{c.Method} · {c.Name} (#{c.Id})" : $"#{id}";

    /// <summary>The two answers in the order the judge saw them, each with its grade where the domain gives one.</summary>
    static (string Label, string Answer, bool? Right)[] ShownOrder(VerdictDto v) => v.TrainedShownFirst
        ? [("A (shown first): trained", v.TrainedAnswer, v.TrainedCorrect), ("B: base", v.BaseAnswer, v.BaseCorrect)]
        : [("A (shown first): base", v.BaseAnswer, v.BaseCorrect), ("B: trained", v.TrainedAnswer, v.TrainedCorrect)];

    List<ReviewEventDto> HistoryOf(long verdictId) => [.. history.Where(h => h.TargetId == verdictId)];

    protected override async Task OnParametersSetAsync()
    {
        if (Revision == loadedRevision) return;
        loadedRevision = Revision;
        await using var scope = Scopes.CreateAsyncScope();
        var service = scope.ServiceProvider.GetRequiredService<EvaluationService>();
        choices = await service.WithVerdictsAsync();
        all = await service.VerdictsAsync(ExperimentId);
        if (AuthState is not null && (await AuthState).User is { Identity.IsAuthenticated: true } u && !Accounts.AuthSchemes.IsLocalUser(u)) signedIn = u.Identity!.Name;
        method = choices.FirstOrDefault(c => c.Id == ExperimentId)?.Method ?? "";
        steps = all.Select(v => v.Step).Distinct().Order().ToList();
        if (!steps.Contains(step)) step = steps.LastOrDefault();
        await LoadRowsAsync(service);
        await LoadHistoryAsync(service);
        ShowStep();
    }

    async Task LoadHistoryAsync(EvaluationService service)
    {
        history = await service.HistoryAsync(ExperimentId, ReviewEvent.VerdictTarget);
        pairs = ReviewerAgreement.Pairs(history);
        judgeAgreement = ReviewerAgreement.WithJudge(history);
    }

    async Task OnReviewerChanged(string? name)
    {
        reviewer = name?.Trim() ?? "";
        await JS.InvokeVoidAsync("weblabReview.setReviewer", reviewer);
    }

    async Task LoadRowsAsync(EvaluationService service)
    {
        rows = [];
        foreach (var id in compared.Prepend(ExperimentId).Distinct())
            if (await service.LatestRowAsync(id) is { } row) rows.Add(row);
    }

    void ShowStep()
    {
        verdicts = all.Where(v => v.Step == step).ToList();
        agreement = WinRates.AgreementOfStates(all.Select(v => v.ReviewStatus));
    }

    async Task OnComparedChanged(IEnumerable<long>? ids)
    {
        compared = ids?.ToList() ?? [];
        await using var scope = Scopes.CreateAsyncScope();
        await LoadRowsAsync(scope.ServiceProvider.GetRequiredService<EvaluationService>());
    }

    void OnStepChanged(long s)
    {
        step = s;
        ShowStep();
    }

    void SetFilter(VerdictFilter f) => filter = f;

    void Select(long id)
    {
        selectedId = id;
        comment = Selected?.ReviewComment;
        reviewError = null;
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        if (!firstRender) return;
        self = DotNetObjectReference.Create(this);
        await JS.InvokeVoidAsync("weblabReview.attach", browser, self);
        reviewer = await JS.InvokeAsync<string>("weblabReview.reviewer");
        StateHasChanged();
    }

    public void Dispose() => self?.Dispose();

    /// <summary>
    /// Reviewing by keyboard, as annotation tools do: move with j/k (or the arrows), review with a/d/u and go on. Each key
    /// waits for the one before (a review awaits the database), so fast typing is applied in the order typed.
    /// </summary>
    [JSInvokable]
    public Task OnReviewKey(string key) => keys = AfterAsync(keys, key);

    async Task AfterAsync(Task before, string key)
    {
        try { await before; }
        catch (Exception) { }                                                // that key's caller has its error; go on with this one
        var shown = Shown.ToList();
        if (shown.Count == 0) return;
        int at = shown.FindIndex(v => v.Id == selectedId);
        switch (key)
        {
            case "j" or "ArrowDown": Select(shown[Math.Min(at + 1, shown.Count - 1)].Id); break;
            case "k" or "ArrowUp": Select(shown[Math.Max(at - 1, 0)].Id); break;
            case "a" or "d" or "u" when at >= 0:
                if (!await ReviewAsync(key switch { "a" => ReviewStatus.Agree, "d" => ReviewStatus.Disagree, _ => ReviewStatus.Unsure })) break;
                Select(shown[Math.Min(at + 1, shown.Count - 1)].Id);       // the list as it was: a filter may hide the reviewed one now
                break;
        }
        StateHasChanged();
    }

    /// <summary>Saves the review; when the database refuses, says so and keeps the comment for another try.</summary>
    async Task<bool> ReviewAsync(ReviewStatus status)
    {
        VerdictDto? saved;
        try
        {
            await using var scope = Scopes.CreateAsyncScope();
            var service = scope.ServiceProvider.GetRequiredService<EvaluationService>();
            saved = await service.ReviewAsync(selectedId, status, comment, reviewer);
            if (saved is not null) await LoadHistoryAsync(service);
        }
        catch (Exception ex) when (DatabaseRefusal.Is(ex))
        {
            reviewError = $"review {DatabaseRefusal.Reason(ex)}; your comment is still here: try again";
            return false;
        }
        catch (Accounts.ForbiddenActionException ex)
        {
            reviewError = ex.Message;
            return false;
        }
        reviewError = null;
        if (saved is null) return false;
        all = all.Select(v => v.Id == saved.Id ? saved : v).ToList();
        ShowStep();
        return true;
    }
}
