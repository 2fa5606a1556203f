// Launches per person per minute (WebLab:LaunchesPerMinute), counted where every launch passes — the form, the API and
// sweeps alike — so a person's launches are limited however they are made (the API also limits each client address).
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace WebLab.Web.Features.Experiments;

public sealed class LaunchLimiter(IOptions<WebLabOptions> options) : IDisposable
{
    readonly PartitionedRateLimiter<string> limiter = PartitionedRateLimiter.Create<string, string>(who =>
        RateLimitPartition.GetFixedWindowLimiter(who, _ => new FixedWindowRateLimiterOptions { PermitLimit = options.Value.LaunchesPerMinute, Window = TimeSpan.FromMinutes(1) }));

    public int PerMinute => options.Value.LaunchesPerMinute;

    /// <summary>Counts one launch by <paramref name="who"/>; false when they already made PerMinute this minute.</summary>
    public bool TryLaunch(string who)
    {
        using var lease = limiter.AttemptAcquire(who);
        return lease.IsAcquired;
    }

    public void Dispose() => limiter.Dispose();
}
