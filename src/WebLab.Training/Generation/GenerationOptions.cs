// Sampling settings for batched generation.
namespace WebLab.Training.Generation;

public sealed record GenerationOptions
{
    /// <summary>Upper bound on generated tokens per row (the stop token counts).</summary>
    public int MaxNewTokens { get; init; } = 64;
    /// <summary>0 = greedy (argmax); otherwise logits are divided by it before sampling.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens (0 = off).</summary>
    public int TopK { get; init; }
    /// <summary>Nucleus sampling: keep the smallest set whose probability reaches p (1 = off).</summary>
    public double TopP { get; init; } = 1.0;
    /// <summary>Seed of the sampler's own generator: the same seed, prompts and model give the same tokens.</summary>
    public long? Seed { get; init; }
    /// <summary>A row stops after emitting one of these (kept as the last completion token).</summary>
    public IReadOnlyCollection<int> StopTokens { get; init; } = [];

    public void Validate()
    {
        if (MaxNewTokens < 1) throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "must be ≥ 1");
        if (Temperature < 0 || double.IsNaN(Temperature)) throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "must be ≥ 0");
        if (TopK < 0) throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "must be ≥ 0");
        if (!(TopP > 0 && TopP <= 1)) throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "must be in (0, 1]");
    }
}

/// <summary>Completions per row (stop token included when one was emitted) and how many tokens were generated.</summary>
public sealed record GenerationResult(int[][] Completions, bool[] Stopped)
{
    public long GeneratedTokens => Completions.Sum(c => (long)c.Length);
}
