// Where an LLM judge lives: any OpenAI-compatible chat-completions endpoint (OpenAI, vLLM, llama.cpp's server, Ollama,
// a gateway), from the host's configuration (WebLab:Judge) or user secrets. The key is never written to the database,
// a run's config or a log line: ToString leaves it out.
namespace WebLab.Training.Judges;

public sealed record LlmJudgeSettings
{
    /// <summary>The API root, e.g. https://api.openai.com/v1 or http://127.0.0.1:8000/v1 (chat/completions is appended).</summary>
    public required string BaseUrl { get; init; }
    public required string Model { get; init; }
    /// <summary>Bearer key; empty for local servers that take none.</summary>
    public string ApiKey { get; init; } = "";
    /// <summary>Requests in flight at once.</summary>
    public int MaxConcurrency { get; init; } = 4;
    /// <summary>Tries per comparison (a failed request or an unparsable reply) before the evaluation stops.</summary>
    public int MaxAttempts { get; init; } = 4;
    /// <summary>Wait before the second try; doubled before each further one.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>One request's limit.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public int MaxOutputTokens { get; init; } = 8;

    /// <summary>Throws with the setting's name when a value cannot work.</summary>
    public void Validate()
    {
        if (!Uri.TryCreate(BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"judge BaseUrl '{BaseUrl}' is not an http(s) URL");
        if (string.IsNullOrWhiteSpace(Model)) throw new ArgumentException("judge Model is empty");
        if (MaxConcurrency < 1 || MaxAttempts < 1) throw new ArgumentException("judge MaxConcurrency and MaxAttempts must be at least 1");
        if (InitialBackoff < TimeSpan.Zero || RequestTimeout <= TimeSpan.Zero) throw new ArgumentException("judge InitialBackoff must be ≥ 0 and RequestTimeout > 0");
    }

    public override string ToString() => $"{Model} at {BaseUrl}{(ApiKey.Length > 0 ? " (key set)" : "")}";
}
