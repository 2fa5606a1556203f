// Decides what the Evaluation tab and the win-rate API show: win-rate rows per experiment, verdict filters, and saving reviews.
using Microsoft.EntityFrameworkCore;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Features.Review;

public sealed record ExperimentChoice(long Id, string Name, string Method);

/// <summary>Verdict browser filters; null means any. Review "unreviewed" | "agree" | "disagree" | "unsure" | "disagreements".</summary>
public sealed record VerdictFilter(string? Split = null, string? Outcome = null, string? Review = null);

public sealed class EvaluationService(WebLabDb db, Audit.AuditTrail audit, Accounts.CurrentActor actor)
{
    /// <summary>The experiment's row at its latest evaluation step, labelled "method · name"; null without verdicts.</summary>
    public async Task<WinRateRow?> LatestRowAsync(long experimentId, CancellationToken ct = default)
    {
        var experiment = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == experimentId, ct);
        var q = db.Verdicts.AsNoTracking().Where(v => v.ExperimentId == experimentId);
        if (experiment is null || !await q.AnyAsync(ct)) return null;
        var step = await q.MaxAsync(v => v.Step, ct);
        var rows = await q.Where(v => v.Step == step).Select(v => new { v.Split, v.Outcome }).ToListAsync(ct);
        var (splits, overall) = WinRates.Table(rows.Select(r => (r.Split, r.Outcome)).ToList());
        return new(experimentId, $"{experiment.Method} · {experiment.Name}", step, splits, overall);
    }

    public async Task<IReadOnlyList<WinRateStep>> PerStepAsync(long experimentId, CancellationToken ct = default)
    {
        var rows = await db.Verdicts.AsNoTracking().Where(v => v.ExperimentId == experimentId)
            .Select(v => new { v.Step, v.Split, v.Outcome }).ToListAsync(ct);
        return WinRates.PerStep(rows.Select(r => (r.Step, r.Split, r.Outcome)));
    }

    public async Task<List<ExperimentChoice>> WithVerdictsAsync(CancellationToken ct = default)
    {
        var ids = db.Verdicts.Select(v => v.ExperimentId).Distinct();
        return await db.Experiments.AsNoTracking().Where(e => ids.Contains(e.Id)).OrderByDescending(e => e.Id)
            .Select(e => new ExperimentChoice(e.Id, e.Name, e.Method)).ToListAsync(ct);
    }

    /// <summary>All verdicts of a run, every evaluation step (the tiny evaluation sets keep this small).</summary>
    public async Task<List<VerdictDto>> VerdictsAsync(long experimentId, CancellationToken ct = default) =>
        (await db.Verdicts.AsNoTracking().Where(v => v.ExperimentId == experimentId).OrderBy(v => v.Id).ToListAsync(ct))
            .Select(ExperimentDtos.ToDto).ToList();

    public static IEnumerable<VerdictDto> Filter(IEnumerable<VerdictDto> verdicts, VerdictFilter f) => verdicts.Where(v =>
        (f.Split is null || v.Split == f.Split) &&
        (f.Outcome is null || string.Equals(v.Verdict, f.Outcome, StringComparison.OrdinalIgnoreCase)) &&
        f.Review switch
        {
            null => true,
            "unreviewed" => v.ReviewStatus is null,
            "disagreements" => v.ReviewStatus == "disagree",
            var r => v.ReviewStatus == r,
        });

    /// <summary>Records a person's review of a verdict (and keeps it in the history); null when there is no such verdict.</summary>
    public Task<VerdictDto?> ReviewAsync(long verdictId, ReviewStatus status, string? comment, string? reviewer = null, CancellationToken ct = default) =>
        ReviewAsync(db.Verdicts, ReviewEvent.VerdictTarget, verdictId, v => v.ExperimentId, status, comment, reviewer, ExperimentDtos.ToDto, ct);

    /// <summary>A person's word on a sample's recorded reward (agree, disagree, unsure) and a comment; null for an unknown sample.</summary>
    public Task<SampleDto?> ReviewSampleAsync(long sampleId, ReviewStatus status, string? comment, string? reviewer = null, CancellationToken ct = default) =>
        ReviewAsync(db.Samples, ReviewEvent.SampleTarget, sampleId, s => s.ExperimentId, status, comment, reviewer, ExperimentDtos.ToDto, ct);

    /// <summary>Every review given on an experiment's verdicts or samples (only those of <paramref name="target"/> when given), oldest first.</summary>
    public async Task<List<ReviewEventDto>> HistoryAsync(long experimentId, string? target = null, CancellationToken ct = default) =>
        (await db.ReviewEvents.AsNoTracking()
            .Where(r => r.ExperimentId == experimentId && (target == null || r.Target == target))
            .OrderBy(r => r.Id).ToListAsync(ct)).Select(ExperimentDtos.ToDto).ToList();

    /// <summary>The reviewer's name as stored: trimmed, "anonymous" when blank. Over-long names are refused by the API first.</summary>
    public static string ReviewerName(string? typed) => typed?.Trim() is { Length: > 0 } name
        ? name[..Math.Min(name.Length, ReviewEvent.MaxReviewerLength)] : ReviewEvent.Anonymous;

    async Task<TDto?> ReviewAsync<TRow, TDto>(DbSet<TRow> rows, string target, long id, Func<TRow, long> experimentOf, ReviewStatus status,
        string? comment, string? reviewer, Func<TRow, TDto> toDto, CancellationToken ct)
        where TRow : class, IReviewable where TDto : class
    {
        actor.Demand(Accounts.LabPolicies.Review, "review");
        var row = await rows.FirstOrDefaultAsync(r => r.Id == id, ct);
        if (row is null) return null;
        // a signed-in account reviews under its own name; the typed name is for Mode None's single anonymous user
        var (now, who) = (DateTimeOffset.UtcNow, ReviewerName(actor.IsAccount ? actor.Name : reviewer));
        (row.ReviewStatus, row.ReviewComment, row.ReviewedAt, row.ReviewedBy) = (status, comment, now, who);
        // the row's current review and its history entry are written in one transaction (one SaveChanges)
        db.ReviewEvents.Add(new ReviewEvent { ExperimentId = experimentOf(row), Target = target, TargetId = id, Reviewer = who, Status = status, Comment = comment, At = now });
        audit.Add(db, Audit.AuditActions.Reviewed, $"{target} {id}: {status.ToString().ToLowerInvariant()}", experimentOf(row), by: who);
        await db.SaveChangesAsync(ct);
        return toDto(row);
    }
}
