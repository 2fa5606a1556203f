// Bounded waits on a condition, for tests: poll every 20 ms, fail with a message when the bound passes (never a fixed sleep).
namespace WebLab.Web.Tests.Infrastructure;

public static class Poll
{
    public static async Task UntilAsync(Func<bool> condition, string what, double seconds = 10)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {seconds} s: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>As above, for a condition that must be awaited (a page to ask, a request to make).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, string what, double seconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {seconds} s: {what}");
            await Task.Delay(100);
        }
    }
}
