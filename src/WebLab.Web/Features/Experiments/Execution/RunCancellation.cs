// Per-experiment cancellation: Hangfire's token fires only on shutdown or job deletion, so the lab keeps its own and links both.
using System.Collections.Concurrent;

namespace WebLab.Web.Features.Experiments;

public sealed class RunCancellation
{
    readonly ConcurrentDictionary<long, CancellationTokenSource> running = new();

    /// <summary>A token that fires on <see cref="Cancel"/> or when <paramref name="hostToken"/> fires. Dispose the source when the run ends.</summary>
    public CancellationTokenSource Register(long experimentId, CancellationToken hostToken)
    {
        var cts = CancellationTokenSource.CreateLinkedTokenSource(hostToken);
        running[experimentId] = cts;
        return cts;
    }

    public void Unregister(long experimentId, CancellationTokenSource cts)
    {
        running.TryRemove(new KeyValuePair<long, CancellationTokenSource>(experimentId, cts));
        cts.Dispose();
    }

    /// <summary>True when a run of this experiment was running in this process and is now asked to stop.</summary>
    public bool Cancel(long experimentId)
    {
        if (!running.TryGetValue(experimentId, out var cts)) return false;
        try { cts.Cancel(); } catch (ObjectDisposedException) { return false; }
        return true;
    }
}
