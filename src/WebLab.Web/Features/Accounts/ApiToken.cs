// Personal API tokens: `Authorization: Bearer wl_…` acts as the token's user, with the user's role at each request.
// The secret is shown once, at creation; the database keeps only its SHA-256 (a 256-bit random secret needs no slow hash),
// so a leaked database holds no usable token. Revocation and expiry are checked on every request: they take effect at once.
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebLab.Web.Data;

namespace WebLab.Web.Features.Accounts;

public sealed class ApiToken
{
    public long Id { get; set; }
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>The first characters of the secret ("wl_AbCd"), to tell tokens apart in lists; not enough to guess it.</summary>
    public required string Prefix { get; set; }
    /// <summary>SHA-256 of the whole secret, lower-case hex.</summary>
    public required string Hash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }

    public const int MaxName = 100;
    public bool IsValidAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || now < ExpiresAt);
}

public sealed class ApiTokenConfiguration : IEntityTypeConfiguration<ApiToken>
{
    public void Configure(EntityTypeBuilder<ApiToken> b)
    {
        b.Property(t => t.Name).HasMaxLength(ApiToken.MaxName);
        b.Property(t => t.Prefix).HasMaxLength(16);
        b.Property(t => t.Hash).HasMaxLength(64);
        b.HasIndex(t => t.Hash).IsUnique();
        b.HasIndex(t => t.UserId);
        b.HasOne<LabUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

public sealed record ApiTokenDto(long Id, string Name, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? ExpiresAt, DateTimeOffset? RevokedAt, bool Active);

/// <summary>A token just made: <see cref="Secret"/> is shown this once and never again.</summary>
public sealed record CreatedApiToken(ApiTokenDto Token, string Secret);

public sealed record CreateTokenRequest(string? Name, int? ExpiresInDays);

public static class ApiTokens
{
    public const string SecretPrefix = "wl_";
    public const int MaxExpiresInDays = 3650;

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static ApiTokenDto ToDto(ApiToken t, DateTimeOffset now) => new(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.IsValidAt(now));

    /// <summary>The reason a request is refused, or null (name 1–100 characters without control characters; expiry 1–3650 days or none).</summary>
    public static Dictionary<string, string[]>? Check(CreateTokenRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        var name = request.Name?.Trim() ?? "";
        if (name.Length is 0 or > ApiToken.MaxName || name.Any(char.IsControl))
            errors["name"] = [$"1 to {ApiToken.MaxName} characters, no control characters"];
        if (request.ExpiresInDays is < 1 or > MaxExpiresInDays)
            errors["expiresInDays"] = [$"must be from 1 to {MaxExpiresInDays}, or left out for a token that does not expire; got {request.ExpiresInDays}"];
        return errors.Count == 0 ? null : errors;
    }

    /// <summary>A new secret: <paramref name="prefix"/> and 256 random bits, base64url.</summary>
    public static string NewSecret(string prefix) => prefix + System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static async Task<CreatedApiToken> CreateAsync(WebLabDb db, string userId, CreateTokenRequest request, CancellationToken ct = default)
    {
        var secret = NewSecret(SecretPrefix);
        var now = DateTimeOffset.UtcNow;
        var token = new ApiToken
        {
            UserId = userId, Name = request.Name!.Trim(), Prefix = secret[..7], Hash = Hash(secret), CreatedAt = now,
            ExpiresAt = request.ExpiresInDays is { } days ? now.AddDays(days) : null,
        };
        db.Add(token);
        await db.SaveChangesAsync(ct);
        return new(ToDto(token, now), secret);
    }

    public static async Task<List<ApiTokenDto>> OfAsync(WebLabDb db, string userId, CancellationToken ct = default)
    {
        var now = DateTimeOffset.UtcNow;
        return (await db.Set<ApiToken>().AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.Id).ToListAsync(ct))
            .Select(t => ToDto(t, now)).ToList();
    }

    /// <summary>Revokes the user's token <paramref name="id"/>; false when the user has no such token.</summary>
    public static async Task<bool> RevokeAsync(WebLabDb db, string userId, long id, CancellationToken ct = default)
    {
        var now = DateTimeOffset.UtcNow;
        var token = await db.Set<ApiToken>().FirstOrDefaultAsync(t => t.Id == id && t.UserId == userId, ct);
        if (token is null) return false;
        token.RevokedAt ??= now;
        await db.SaveChangesAsync(ct);
        return true;
    }

    /// <summary>The token with this secret if it is neither revoked nor expired, else null.</summary>
    public static async Task<ApiToken?> FindValidAsync(WebLabDb db, string secret, CancellationToken ct = default)
    {
        if (!secret.StartsWith(SecretPrefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        var hash = Hash(secret);
        var token = await db.Set<ApiToken>().AsNoTracking().FirstOrDefaultAsync(t => t.Hash == hash, ct);
        return token is not null && token.IsValidAt(DateTimeOffset.UtcNow) ? token : null;
    }
}
