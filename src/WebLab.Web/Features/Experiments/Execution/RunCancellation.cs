// Per-experiment cancellation: Hangfire's token fires only on shutdown or job deletion, so the lab keeps its own and links both.
using System.Collections.Concurrent;

namespace WebLab.Web.Features.Experiments;

public sealed class RunCancellation
{
    readonly ConcurrentDictionary<long, CancellationTokenSource> running = new();
    // runs this process has claimed (Running in the database) whose token is not registered yet, and whether a person asked
    // them to stop meanwhile: a cancel that lands between the claim and the registration is kept, not lost
    readonly ConcurrentDictionary<long, bool> claimed = new();

    /// <summary>Marks a run as about to be claimed by this process (before its row says Running); <see cref="Release"/> when it ends.</summary>
    public void Claim(long experimentId) => claimed[experimentId] = false;

    public void Release(long experimentId) => claimed.TryRemove(experimentId, out _);

    /// <summary>A token that fires on <see cref="Cancel"/> (also one asked since the claim) or when <paramref name="hostToken"/>
    /// fires. Dispose the source when the run ends.</summary>
    public CancellationTokenSource Register(long experimentId, CancellationToken hostToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(hostToken);
        running[experimentId] = cts;
        if (claimed.TryGetValue(experimentId, out var asked) && asked) cts.Cancel();
        return cts;
    }

    public void Unregister(long experimentId, CancellationTokenSource cts)
    {
        running.TryRemove(new KeyValuePair<long, CancellationTokenSource>(experimentId, cts));
        cts.Dispose();
    }

    /// <summary>True when a run of this experiment is running (or claimed) in this process and is now asked to stop.</summary>
    public bool Cancel(long experimentId)
    {
        if (running.TryGetValue(experimentId, out var cts)) return TryCancel(cts);
        if (!claimed.ContainsKey(experimentId)) return false;
        claimed[experimentId] = true;                                    // Register cancels it on arrival
        if (running.TryGetValue(experimentId, out cts)) TryCancel(cts);     // or it arrived meanwhile
        return true;
    }

    static bool TryCancel(CancellationTokenSource cts)
    {
        try { cts.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
