// The audit trail: who launched, cancelled, resumed, deleted, renamed, tagged and reviewed what, and when. Rows name
// their run by id without a foreign key, so the record of a deletion outlives the run it deleted.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebLab.Web.Features.Audit;

public sealed class AuditEvent
{
    public long Id { get; set; }
    public long? ExperimentId { get; set; }
    public long? SweepId { get; set; }
    /// <summary>Who did it: the signed-in user ("anonymous" in Mode None, where a review names the typed reviewer), or "cli:{user}" / the --as user of a headless run.</summary>
    public required string Actor { get; set; }
    /// <summary>One of <see cref="AuditActions"/>.</summary>
    public required string Action { get; set; }
    public required string Detail { get; set; }
    public DateTimeOffset At { get; set; }
}

public static class AuditActions
{
    public const string Launched = "launched", Cancelled = "cancelled", Resumed = "resumed", Deleted = "deleted", Renamed = "renamed",
        NotesChanged = "notes", Tagged = "tagged", Reviewed = "reviewed", SweepLaunched = "sweep", Reordered = "reordered";
    /// <summary>Account actions (no run): a password changed by its owner or reset by an Admin, an account unlocked or removed.</summary>
    public const string PasswordChanged = "password", PasswordReset = "password-reset", Unlocked = "unlocked", AccountRemoved = "account-removed";
}

public sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.Property(a => a.Actor).HasMaxLength(Review.ReviewEvent.MaxReviewerLength + 8);
        b.Property(a => a.Action).HasMaxLength(16);
        b.Property(a => a.Detail).HasMaxLength(AuditTrail.MaxDetail);
        b.HasIndex(a => a.ExperimentId);
        b.HasIndex(a => a.At);
    }
}

public sealed record AuditEventDto(long Id, long? ExperimentId, long? SweepId, string Actor, string Action, string Detail, DateTimeOffset At);

/// <summary>Adds audit rows to a context (saved with the change they record) and reads them back.</summary>
public sealed class AuditTrail(Accounts.CurrentActor actor)
{
    public const int MaxDetail = 1000;

    public void Add(Data.WebLabDb db, string action, string detail, long? experimentId = null, long? sweepId = null, string? by = null) =>
        db.Add(new AuditEvent
        {
            ExperimentId = experimentId, SweepId = sweepId, Actor = by ?? actor.Name, Action = action,
            Detail = detail.Length <= MaxDetail ? detail : detail[..(MaxDetail - 1)] + "…", At = DateTimeOffset.UtcNow,
        });

    /// <summary>Adds a row and saves it at once (for changes made with ExecuteUpdate/ExecuteDelete).</summary>
    public async Task RecordAsync(Data.WebLabDb db, string action, string detail, long? experimentId = null, long? sweepId = null, CancellationToken ct = default)
    {
        Add(db, action, detail, experimentId, sweepId);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The audit rows of account actions, oldest first.</summary>
    public static async Task<List<AuditEventDto>> OfAccountsAsync(Data.WebLabDb db, CancellationToken ct = default)
    {
        string[] actions = [AuditActions.PasswordChanged, AuditActions.PasswordReset, AuditActions.Unlocked, AuditActions.AccountRemoved];
        return await db.Set<AuditEvent>().AsNoTracking().Where(a => actions.Contains(a.Action)).OrderBy(a => a.Id)
            .Select(a => new AuditEventDto(a.Id, a.ExperimentId, a.SweepId, a.Actor, a.Action, a.Detail, a.At)).ToListAsync(ct);
    }

    public static async Task<List<AuditEventDto>> OfAsync(Data.WebLabDb db, long experimentId, CancellationToken ct = default) =>
        await db.Set<AuditEvent>().AsNoTracking().Where(a => a.ExperimentId == experimentId).OrderBy(a => a.Id)
            .Select(a => new AuditEventDto(a.Id, a.ExperimentId, a.SweepId, a.Actor, a.Action, a.Detail, a.At)).ToListAsync(ct);
}
