// One subscriber's queue of live updates. The policy, as the notifier promises it:
// - progress is coalesced: a newer ProgressUpdate of a run replaces the one still queued (only the latest matters);
// - metrics and samples are batched: a MetricsUpdate (SamplesUpdate) right behind a queued one of the same run joins it;
// - a status change is never dropped, merged or reordered: everything is delivered in the order it was posted;
// - bounded: Post refuses once Capacity updates are queued, and the notifier then drops the subscriber (a watcher that far
//   behind reloads from the database, which holds every point; a status change is never silently lost).
namespace WebLab.Web.Features.Experiments;

public sealed class Mailbox(int capacity)
{
    readonly object gate = new();
    List<ExperimentUpdate> queued = [];
    TaskCompletionSource wake = NewWake();

    public int Count { get { lock (gate) return queued.Count; } }

    /// <summary>Queues <paramref name="update"/> under the policy above; false when the mailbox is full.</summary>
    public bool Post(ExperimentUpdate update)
    {
        lock (gate)
        {
            if (!Merge(update))
            {
                if (queued.Count >= capacity) return false;
                queued.Add(update);
            }
            wake.TrySetResult();
            return true;
        }
    }

    // True when the update joined or replaced one already queued.
    bool Merge(ExperimentUpdate update)
    {
        var last = queued.Count == 0 ? null : queued[^1];
        switch (update)
        {
            case MetricsUpdate m when last is MetricsUpdate l && l.ExperimentId == m.ExperimentId:
                queued[^1] = l with { Points = [.. l.Points, .. m.Points] };
                return true;
            case SamplesUpdate s when last is SamplesUpdate l && l.ExperimentId == s.ExperimentId:
                queued[^1] = l with { Samples = [.. l.Samples, .. s.Samples] };
                return true;
            case ProgressUpdate p:
                var at = queued.FindLastIndex(u => u is ProgressUpdate q && q.ExperimentId == p.ExperimentId);
                if (at < 0) return false;
                // the newer progress goes last, after the points that came before it (its step is theirs)
                queued.RemoveAt(at);
                queued.Add(p);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Waits until something is queued; false never (the loop ends by cancellation).</summary>
    public async Task<bool> WaitAsync(CancellationToken ct)
    {
        Task signal;
        lock (gate) signal = queued.Count > 0 ? Task.CompletedTask : wake.Task;
        await signal.WaitAsync(ct);
        return true;
    }

    /// <summary>Everything queued, in order; the mailbox is empty afterwards.</summary>
    public IReadOnlyList<ExperimentUpdate> TakeAll()
    {
        lock (gate)
        {
            var taken = queued;
            queued = [];
            wake = NewWake();
            return taken;
        }
    }

    public void Clear() => TakeAll();

    static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
