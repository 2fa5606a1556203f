// The one bounded wait of every test project: poll a condition until it holds, and fail with a message when the bound
// passes (never a fixed sleep, never a silent return). Linked into each test project from tests/Shared.
using System.Diagnostics;

namespace WebLab.Tests.Shared;

public static class Poll
{
    /// <summary>Reads a value every <paramref name="everyMs"/> ms until <paramref name="done"/> holds for it, and returns it;
    /// throws <see cref="TimeoutException"/> with <paramref name="what"/> of the last value read once <paramref name="seconds"/> pass.</summary>
    public static async Task<T> UntilAsync<T>(Func<Task<T>> read, Func<T, bool> done, Func<T, string> what, double seconds = 20, int everyMs = 100)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (clock.Elapsed.TotalSeconds > seconds) throw new TimeoutException($"not within {seconds} s: {what(value)}");
            await Task.Delay(everyMs);
        }
    }

    /// <summary>Until <paramref name="condition"/> holds (checked every 20 ms); throws <see cref="TimeoutException"/> naming <paramref name="what"/>.</summary>
    public static Task UntilAsync(Func<bool> condition, string what, double seconds = 10) =>
        UntilAsync(() => Task.FromResult(condition()), ok => ok, _ => what, seconds, everyMs: 20);

    /// <summary>As above, for a condition that must be awaited (a page to ask, a request to make), checked every 100 ms.</summary>
    public static Task UntilAsync(Func<Task<bool>> condition, string what, double seconds = 20) =>
        UntilAsync(condition, ok => ok, _ => what, seconds);
}
