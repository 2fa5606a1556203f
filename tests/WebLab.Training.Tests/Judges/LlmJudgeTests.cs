// The LLM judge against a real OpenAI-compatible server on loopback: verdicts parsed and mapped back through the
// seeded swap, identical answers never sent, failures retried with doubling backoff, the concurrency limit kept, and a
// dead endpoint a clear error instead of ties. Plus the reply parser, hand-checked.
using WebLab.Training.Experiments;
using WebLab.Training.Judges;
using WebLab.Training.Methods.Common;
using Xunit;

namespace WebLab.Training.Tests.Judges;

public sealed class LlmJudgeTests
{
    /// <summary>A judge that prefers whichever output contains GOOD, read from the prompt as the judge sees it.</summary>
    static string? PrefersGood(string user)
    {
        int a = user.IndexOf("## Output (a)", StringComparison.Ordinal), b = user.IndexOf("## Output (b)", StringComparison.Ordinal);
        return user[a..b].Contains("GOOD") ? "a" : "(b)";
    }

    static LlmJudgeSettings Settings(string url, int attempts = 3, int concurrency = 4) => new()
    {
        BaseUrl = url, Model = "judge-test", ApiKey = "sk-test-secret", MaxAttempts = attempts, MaxConcurrency = concurrency,
        InitialBackoff = TimeSpan.FromMilliseconds(1), RequestTimeout = TimeSpan.FromSeconds(30),
    };

    static PairwiseItem[] Items(int n) => Enumerable.Range(0, n).Select(i =>
        i % 3 == 2 ? new PairwiseItem($"Instruction {i}", "same", "same")
        : new PairwiseItem($"Instruction {i}", i % 3 == 0 ? $"GOOD answer {i}" : $"weak answer {i}", i % 3 == 0 ? $"weak answer {i}" : $"GOOD answer {i}")).ToArray();

    [Fact]
    public async Task Verdicts_are_parsed_and_the_swap_undone()
    {
        using var server = new LoopbackChatServer(PrefersGood);
        using var judge = new LlmJudge(Settings(server.BaseUrl));
        var items = Items(30);

        var verdicts = await judge.JudgeAsync(items);

        Assert.Equal(30, verdicts.Count);
        for (int i = 0; i < 30; i++)
        {
            var expected = i % 3 == 2 ? VerdictOutcome.Tie : i % 3 == 0 ? VerdictOutcome.Win : VerdictOutcome.Loss;
            Assert.Equal(expected, verdicts[i].Verdict);
            Assert.Equal(WinRate.TrainedShownFirst(items[i].Instruction), verdicts[i].TrainedShownFirst);
        }
        var judged = verdicts.Where(v => v.Choice is not null).ToArray();
        Assert.Equal(20, server.Requests);                                   // identical answers never sent
        Assert.Contains(judged, v => v.TrainedShownFirst);                   // both orders were shown
        Assert.Contains(judged, v => !v.TrainedShownFirst);
        Assert.All(judged, v => Assert.True(v.InputTokens > 0 && v.OutputTokens == 1 && v.Attempts == 1 && v.LatencyMs > 0));
        Assert.Contains("(b)", judged.First(v => v.Choice == 'b').RawOutput);
        Assert.All(server.Authorizations, h => Assert.Equal("Bearer sk-test-secret", h));
        Assert.DoesNotContain("sk-test-secret", Settings(server.BaseUrl).ToString());
    }

    [Fact]
    public async Task Failures_and_unparsable_replies_are_retried_with_doubling_backoff()
    {
        int calls = 0;
        using var server = new LoopbackChatServer(user => Interlocked.Increment(ref calls) switch { 1 => null, 2 => "I think both are fine", _ => PrefersGood(user) });
        var waits = new List<TimeSpan>();
        using var judge = new LlmJudge(Settings(server.BaseUrl, attempts: 3) with { InitialBackoff = TimeSpan.FromMilliseconds(5) }, delay: (t, _) => { waits.Add(t); return Task.CompletedTask; });

        var verdict = (await judge.JudgeAsync([new PairwiseItem("Say hi", "GOOD hi", "hello")])).Single();

        Assert.Equal((VerdictOutcome.Win, 3), (verdict.Verdict, verdict.Attempts));
        Assert.Equal([TimeSpan.FromMilliseconds(5), TimeSpan.FromMilliseconds(10)], waits);
        Assert.Equal(3, server.Requests);
    }

    [Fact]
    public async Task A_judge_that_keeps_failing_stops_the_evaluation()
    {
        using var server = new LoopbackChatServer(_ => null);
        using var judge = new LlmJudge(Settings(server.BaseUrl, attempts: 2));
        var ex = await Assert.ThrowsAsync<JudgeFailedException>(() => judge.JudgeAsync(Items(6)));
        Assert.Contains("failed 2 times", ex.Message);
        Assert.Contains("rather than record ties", ex.Message);
    }

    [Fact]
    public async Task A_dead_endpoint_is_a_clear_error()
    {
        var url = $"http://127.0.0.1:{LoopbackChatServer.FreePort()}/v1";   // nothing listens there
        using var judge = new LlmJudge(Settings(url, attempts: 2));
        var ex = await Assert.ThrowsAsync<JudgeFailedException>(() => judge.JudgeAsync([new PairwiseItem("x", "y", "z")]));
        Assert.Contains(url, ex.Message);
        Assert.Contains("Last error", ex.Message);
    }

    [Fact]
    public async Task No_more_requests_in_flight_than_the_limit()
    {
        using var server = new LoopbackChatServer(PrefersGood);
        using var judge = new LlmJudge(Settings(server.BaseUrl, concurrency: 2));
        var progress = new List<int>();
        await judge.JudgeAsync(Items(24), progress: new Progress<int>(n => { lock (progress) progress.Add(n); }));
        Assert.Equal(16, server.Requests);
        Assert.InRange(server.MaxInFlight, 1, 2);
    }

    [Theory]
    [InlineData("a", 'a')]
    [InlineData(" B ", 'b')]
    [InlineData("(a)", 'a')]
    [InlineData("Output (b).", 'b')]
    [InlineData("a or b", null)]
    [InlineData("both", null)]
    [InlineData("", null)]
    public void Parses_one_letter_replies_only(string reply, char? expected) => Assert.Equal(expected, PairwisePrompt.Parse(reply));

    [Fact]
    public void Settings_refuse_what_cannot_work()
    {
        Assert.Contains("not an http(s) URL", Assert.Throws<ArgumentException>(() => new LlmJudge(new LlmJudgeSettings { BaseUrl = "ftp://x", Model = "m" })).Message);
        Assert.Contains("Model is empty", Assert.Throws<ArgumentException>(() => new LlmJudge(new LlmJudgeSettings { BaseUrl = "http://x", Model = " " })).Message);
    }
}
