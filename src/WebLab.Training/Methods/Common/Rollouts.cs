// Shared RL steps: sample completions, and score them under the policy (with gradient) and the frozen reference.
using WebLab.Training.Domains;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Common;

/// <summary>Policy token log-probs (with gradient), reference token log-probs (none), completion mask: all [B, T-1].</summary>
public sealed record ScoredRows(Tensor Logp, Tensor RefLogp, Tensor Mask, Tensor Entropy);

public static class Rollouts
{
    /// <param name="batch">Rows generated at once (0: all; RlOptions.RolloutBatch).</param>
    public static GenerationResult Sample(IPolicy model, IReadOnlyList<Prompt> prompts, int maxTokens, double temperature, long seed, IRlDomain domain, int batch = 0) =>
        BatchGenerator.GenerateInBatches(model, prompts, new GenerationOptions
        {
            MaxNewTokens = maxTokens, Temperature = temperature, Seed = seed, StopTokens = [domain.Tokenizer.EosId],
        }, domain.Tokenizer.PadId, batch);

    /// <summary>
    /// Call inside the step's dispose scope; the tensors live until it ends. <paramref name="temperature"/> is the one the
    /// completions were sampled at: policy and reference are both scored at it (TRL's GRPO does the same).
    /// </summary>
    public static ScoredRows Score(IPolicy policy, IPolicy reference, IReadOnlyList<Prompt> prompts, IReadOnlyList<int[]> completions,
        int padId, double temperature)
    {
        var batch = SequenceLogProbs.Pack(prompts, completions, padId, policy.Device);
        var mine = SequenceLogProbs.Compute(policy, batch, temperature);
        Tensor refLogp;
        using (no_grad()) refLogp = SequenceLogProbs.Compute(reference, batch, temperature).LogProbs;
        return new(mine.LogProbs, refLogp, batch.CompletionMask, mine.Entropy);
    }

    /// <summary>Row k of <paramref name="result"/> as a rollout answering <paramref name="queries"/>[k] to <paramref name="prompts"/>[k].</summary>
    public static Rollout[] Of(IReadOnlyList<string> queries, IReadOnlyList<Prompt> prompts, GenerationResult result, IRlDomain domain) =>
        [.. result.Completions.Select((c, k) => new Rollout(queries[k], prompts[k], c, domain.Answer(c), result.Stopped[k]))];

    /// <summary>Mean entropy per completion token.</summary>
    public static double MeanEntropy(ScoredRows rows) => (rows.Entropy.sum() / rows.Mask.sum().clamp_min(1)).item<float>();
}
