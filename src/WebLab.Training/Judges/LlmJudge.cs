// Pairwise judging by an LLM behind an OpenAI-compatible endpoint (Microsoft.Extensions.AI's IChatClient), AlpacaEval
// style: for each (instruction, trained answer, base answer) the order shown is a coin seeded by the instruction
// (WinRate.TrainedShownFirst, so every judge sees the same order), identical answers are ties without a call, and the
// judge's letter is mapped back through the swap. Each verdict keeps the raw reply, latency, token counts and tries.
// Requests run at most MaxConcurrency at once; a failed request or an unparsable reply is retried with doubling
// backoff; a comparison that fails MaxAttempts times stops the whole evaluation (JudgeFailedException): a judge that
// is down must never be recorded as a run of ties.
using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using Microsoft.Extensions.AI;
using OpenAI;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Judges;

public sealed record PairwiseItem(string Instruction, string TrainedAnswer, string BaseAnswer);

/// <param name="Verdict">VerdictOutcomes, from the trained answer's side.</param>
/// <param name="Choice">The judge's letter as shown ('a' or 'b'), or null for a tie decided without it.</param>
public sealed record LlmVerdict(VerdictOutcome Verdict, bool TrainedShownFirst, char? Choice, string RawOutput, double LatencyMs,
    long? InputTokens, long? OutputTokens, int Attempts)
{
    /// <summary>One line for the verdict's rationale column.</summary>
    public string Rationale => Choice is null ? "identical answers (no judge call)"
        : $"judge chose ({Choice}) = the {(Verdict == VerdictOutcome.Win ? "trained" : "base")} answer; reply \"{Trim(RawOutput)}\"; {LatencyMs:F0} ms; tokens {InputTokens?.ToString() ?? "?"} in / {OutputTokens?.ToString() ?? "?"} out; {Attempts} {(Attempts == 1 ? "try" : "tries")}";

    static string Trim(string s) => s.Length <= 80 ? s : s[..77] + "…";
}

public sealed class JudgeFailedException(string message, Exception? inner = null) : Exception(message, inner);

public sealed class LlmJudge : IDisposable
{
    readonly IChatClient _client;
    readonly LlmJudgeSettings _settings;
    readonly Func<TimeSpan, CancellationToken, Task> _delay;

    public string Name => $"llm:{_settings.Model}";

    /// <param name="delay">How backoff waits (tests pass a recorder); Task.Delay by default.</param>
    public LlmJudge(LlmJudgeSettings settings, IChatClient? client = null, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        settings.Validate();
        _settings = settings;
        _client = client ?? CreateClient(settings);
        _delay = delay ?? Task.Delay;
    }

    /// <summary>An IChatClient for the endpoint; the SDK's own retries are off (this judge counts and spaces its tries).</summary>
    public static IChatClient CreateClient(LlmJudgeSettings s)
    {
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(s.BaseUrl),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = s.RequestTimeout,
        };
        var key = new ApiKeyCredential(s.ApiKey.Length > 0 ? s.ApiKey : "none");
        return new OpenAIClient(key, options).GetChatClient(s.Model).AsIChatClient();
    }

    /// <summary>Verdicts for every item, in order; throws JudgeFailedException when a comparison cannot be judged.</summary>
    public async Task<IReadOnlyList<LlmVerdict>> JudgeAsync(IReadOnlyList<PairwiseItem> items, CancellationToken ct = default, IProgress<int>? progress = null)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var gate = new SemaphoreSlim(_settings.MaxConcurrency);
        int done = 0;
        var tasks = items.Select(async item =>
        {
            await gate.WaitAsync(stop.Token);
            try { return await JudgeOneAsync(item, stop.Token); }
            catch (JudgeFailedException) { stop.Cancel(); throw; }
            finally { gate.Release(); progress?.Report(Interlocked.Increment(ref done)); }
        }).ToArray();
        try { return await Task.WhenAll(tasks); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // another comparison failed and cancelled this one: report that failure
            throw tasks.Select(t => t.Exception?.InnerException).OfType<JudgeFailedException>().First();
        }
    }

    async Task<LlmVerdict> JudgeOneAsync(PairwiseItem item, CancellationToken ct)
    {
        bool trainedFirst = WinRate.TrainedShownFirst(item.Instruction);
        if (item.TrainedAnswer == item.BaseAnswer) return new(VerdictOutcome.Tie, trainedFirst, null, "", 0, null, null, 0);
        var (first, second) = trainedFirst ? (item.TrainedAnswer, item.BaseAnswer) : (item.BaseAnswer, item.TrainedAnswer);
        var messages = PairwisePrompt.Messages(item.Instruction, first, second);
        var chatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = _settings.MaxOutputTokens };
        string lastError = "";
        for (int attempt = 1; attempt <= _settings.MaxAttempts; attempt++)
        {
            if (attempt > 1) await _delay(_settings.InitialBackoff * Math.Pow(2, attempt - 2), ct);
            var clock = Stopwatch.StartNew();
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(_settings.RequestTimeout);
                var response = await _client.GetResponseAsync(messages, chatOptions, timeout.Token);
                var text = response.Text ?? "";
                if (PairwisePrompt.Parse(text) is not { } choice) { lastError = $"unparsable reply \"{text}\""; continue; }
                bool trainedChosen = (choice == 'a') == trainedFirst;
                return new(trainedChosen ? VerdictOutcome.Win : VerdictOutcome.Loss, trainedFirst, choice, text, clock.Elapsed.TotalMilliseconds,
                    response.Usage?.InputTokenCount, response.Usage?.OutputTokenCount, attempt);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { throw; }
            catch (Exception ex) { lastError = ex is OperationCanceledException ? $"no reply within {_settings.RequestTimeout.TotalSeconds:F0} s" : ex.Message; }
        }
        throw new JudgeFailedException($"the judge {_settings} failed {_settings.MaxAttempts} times on one comparison; the evaluation stops rather than record ties. Last error: {lastError}");
    }

    public void Dispose() => _client.Dispose();
}
