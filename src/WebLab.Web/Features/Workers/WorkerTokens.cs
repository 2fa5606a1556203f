// Worker tokens: a `weblab worker` host identifies itself to the lab with one (WebLab:Workers:Token, best given through
// the environment: WebLab__Workers__Token). The lab's, not a person's: an Admin makes one per host on the Workers page
// or with POST /api/workers/tokens, sees its secret once, and may revoke it. The token admits nothing but
// POST /api/workers/hello, where the host says who it is and what it serves (WorkerHello). With WebLab:Workers:RequireToken
// (the default) the lab hands runs only to the queues of hosts whose hello, with a valid token, is recent: a revoked
// token's host gets no more runs after WebLab:Workers:LostAfterSeconds. (What admits a host to the queue itself is the
// database's credentials; the token names it and lets an Admin take it out of the lab's dispatch.)
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebLab.Web.Data;

namespace WebLab.Web.Features.Workers;

public sealed class WorkerToken
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the secret, lower-case hex.</summary>
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public required string CreatedBy { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public const int MaxName = 100;
}

/// <summary>A worker host's last hello: who it is, the queues and devices it serves, when it said so.</summary>
public sealed class WorkerHello
{
    /// <summary>"worker:&lt;machine&gt;:&lt;pid&gt;", as its Hangfire servers are named (WorkerHosts.HostOf).</summary>
    public required string Host { get; set; }
    public long TokenId { get; set; }
    public required string Queues { get; set; }
    /// <summary>JSON: [{name, memoryBytes, queue}] (the CPU's or the card's name, as the host sees it).</summary>
    public required string Devices { get; set; }
    public required string Version { get; set; }
    public DateTimeOffset FirstSeen { get; set; }
    public DateTimeOffset LastSeen { get; set; }
}

public sealed class WorkerTokenConfiguration : IEntityTypeConfiguration<WorkerToken>
{
    public void Configure(EntityTypeBuilder<WorkerToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(WorkerToken.MaxName);
        b.Property(t => t.Prefix).HasMaxLength(16);
        b.Property(t => t.Hash).HasMaxLength(64);
        b.Property(t => t.CreatedBy).HasMaxLength(256);
        b.HasIndex(t => t.Hash).IsUnique();
    }
}

public sealed class WorkerHelloConfiguration : IEntityTypeConfiguration<WorkerHello>
{
    public void Configure(EntityTypeBuilder<WorkerHello> b)
    {
        b.HasKey(h => h.Host);
        b.Property(h => h.Host).HasMaxLength(300);
        b.Property(h => h.Queues).HasMaxLength(300);
        b.Property(h => h.Devices).HasMaxLength(4000);
        b.Property(h => h.Version).HasMaxLength(100);
        b.HasOne<WorkerToken>().WithMany().HasForeignKey(h => h.TokenId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record WorkerTokenDto(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, string CreatedBy, DateTimeOffset? RevokedAt);
public sealed record CreatedWorkerToken(WorkerTokenDto Token, string Secret);
public sealed record CreateWorkerTokenRequest(string? Name);
public sealed record WorkerDevice(string Queue, string Name, long? MemoryBytes);
/// <summary>POST /api/workers/hello's body.</summary>
public sealed record HelloRequest(string? Host, string[]? Queues, WorkerDevice[]? Devices, string? Version);

public static class WorkerTokens
{
    public const string SecretPrefix = "wlw_";

    static string Hash(string secret) => Accounts.ApiTokens.Hash(secret);

    public static WorkerTokenDto ToDto(WorkerToken t) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.CreatedBy, t.RevokedAt);

    public static string? CheckName(string? name) =>
        (name?.Trim() ?? "") is { Length: > 0 and <= WorkerToken.MaxName } n && !n.Any(char.IsControl) ? null : $"1 to {WorkerToken.MaxName} characters, no control characters";

    public static async Task<CreatedWorkerToken> CreateAsync(WebLabDb db, string name, string createdBy, CancellationToken ct = default)
    {
        var secret = Accounts.ApiTokens.NewSecret(SecretPrefix);
        var token = new WorkerToken { Name = name.Trim(), Prefix = secret[..8], Hash = Hash(secret), CreatedAt = DateTimeOffset.UtcNow, CreatedBy = createdBy };
        db.Add(token);
        await db.SaveChangesAsync(ct);
        return new(ToDto(token), secret);
    }

    /// <summary>Every worker token, newest first (no secrets: the database keeps none).</summary>
    public static async Task<List<WorkerTokenDto>> ListAsync(WebLabDb db, CancellationToken ct = default) =>
        [.. (await db.Set<WorkerToken>().AsNoTracking().OrderByDescending(t => t.Id).ToListAsync(ct)).Select(ToDto)];

    public static async Task<bool> RevokeAsync(WebLabDb db, long id, CancellationToken ct = default) =>
        await db.Set<WorkerToken>().Where(t => t.Id == id && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, DateTimeOffset.UtcNow), ct) > 0
        || await db.Set<WorkerToken>().AnyAsync(t => t.Id == id, ct);

    /// <summary>The unrevoked token with this secret, or null.</summary>
    public static async Task<WorkerToken?> FindValidAsync(WebLabDb db, string? secret, CancellationToken ct = default)
    {
        if (secret is null || !secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        var hash = Hash(secret);
        return await db.Set<WorkerToken>().AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash && t.RevokedAt == null, ct);
    }

    /// <summary>The rule of admission, for the dispatcher and the Workers page alike: a hello with a token not revoked, less
    /// than <paramref name="lostAfter"/> before <paramref name="now"/> (both UTC).</summary>
    public static bool Admits(bool revoked, DateTime lastSeen, DateTime now, TimeSpan lostAfter) => !revoked && now - lastSeen < lostAfter;

    /// <summary>The hosts <see cref="Admits"/> admits now.</summary>
    public static async Task<HashSet<string>> AdmittedHostsAsync(WebLabDb db, TimeSpan lostAfter, CancellationToken ct = default)
    {
        var now = DateTime.UtcNow;
        var hosts = await (from h in db.Set<WorkerHello>().AsNoTracking()
                           join t in db.Set<WorkerToken>().AsNoTracking() on h.TokenId equals t.Id
                           where t.RevokedAt == null
                           select new { h.Host, h.LastSeen }).ToListAsync(ct);
        return [.. hosts.Where(h => Admits(false, h.LastSeen.UtcDateTime, now, lostAfter)).Select(h => h.Host)];   // compared here: SQLite cannot order DateTimeOffset
    }
}
