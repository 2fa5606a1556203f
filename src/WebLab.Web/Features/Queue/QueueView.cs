// Where each waiting run stands and when it should start, per device: the device's workers free up as its running runs
// finish (each run's ETA from its own pace), and each waiting run, in queue order, takes the first worker to free up,
// holding it for its estimated length (the median of the last finished runs of the same method, preset and length).
// Pure: the page and the API compute it from the rows.
namespace WebLab.Web.Features.Queue;

/// <param name="SecondsLeft">Its ETA; null before its pace is known (it has not finished a step).</param>
public sealed record RunningRun(string Device, double? SecondsLeft);

/// <param name="Estimate">How long it should take, in seconds; null when no like run has finished.</param>
public sealed record WaitingRun(long Id, string Device, double? Estimate);

/// <param name="Position">1 for the next to start on its device.</param>
/// <param name="StartsIn">Seconds until it should start; null when a run ahead of it has no estimate yet.</param>
public sealed record QueueSlot(long Id, string Device, int Position, double? StartsIn);

public static class QueueView
{
    /// <summary>
    /// One CPU worker, a run with 60 s left; waiting: A (estimate 100 s), B (none), C → A #1 in 60 s, B #2 in 160 s, C #3
    /// unknown (B's length is not known). Two workers, one free: A starts now (0 s), B when the running run ends.
    /// </summary>
    public static IReadOnlyList<QueueSlot> Of(IReadOnlyList<RunningRun> running, IReadOnlyList<WaitingRun> waiting, Func<string, int> capacity)
    {
        var slots = new List<QueueSlot>();
        foreach (var device in waiting.GroupBy(w => w.Device))
        {
            // when each worker of the device frees up (null: not known); free workers now
            var free = running.Where(r => r.Device == device.Key).Select(r => r.SecondsLeft).ToList();
            free.AddRange(Enumerable.Repeat<double?>(0, Math.Max(0, capacity(device.Key) - free.Count)));
            int position = 0;
            foreach (var run in device)
            {
                position++;
                // the first worker to free up; an unknown time is no later than any known one, so then the start is unknown
                int k = free.Count == 0 ? -1 : free.Any(f => f is null) ? free.IndexOf(null) : free.IndexOf(free.Min());
                double? startsIn = k < 0 ? null : free[k];
                slots.Add(new(run.Id, run.Device, position, startsIn));
                if (k >= 0) free[k] = startsIn is { } s && run.Estimate is { } e ? s + e : null;
            }
        }
        return slots;
    }

    /// <summary>The median of a few durations in seconds (null when there are none): [30, 90, 60] → 60.</summary>
    public static double? Median(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0) return null;
        var s = seconds.Order().ToList();
        return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2;
    }
}
