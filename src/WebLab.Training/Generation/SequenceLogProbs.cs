// Per-token log-probabilities (and entropies) of given completions under a model: what RL differentiates.
// Rows are prompt ++ completion, right-padded, so plain causal attention needs no padding mask
// (a real token never attends to a later pad) and every row keeps positions 0..len-1.
using TorchSharp;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Generation;

/// <summary>Packed rows: Tokens [B, T] int64 and CompletionMask [B, T-1] fp32 (1 where target t+1 is a completion token);
/// Media: where the prompts' media sit (null when none has any).</summary>
public sealed record PackedSequences(Tensor Tokens, Tensor CompletionMask, IReadOnlyList<MediaSlot>? Media = null) : IDisposable
{
    public void Dispose() { Tokens.Dispose(); CompletionMask.Dispose(); }
}

/// <summary>LogProbs, Entropy: [B, T-1] aligned with CompletionMask (zero outside it).</summary>
public sealed record TokenLogProbs(Tensor LogProbs, Tensor Entropy, Tensor Mask)
{
    /// <summary>Σ over completion tokens: log π(completion | prompt) per row, [B].</summary>
    public Tensor SequenceLogProbs() => (LogProbs * Mask).sum(-1);
}

public static class SequenceLogProbs
{
    /// <summary>Text-only prompts given as token ids.</summary>
    public static PackedSequences Pack(IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int padId, Device device) =>
        Pack(prompts.Select(Prompt.Text).ToArray(), completions, padId, device);

    public static PackedSequences Pack(IReadOnlyList<Prompt> prompts, IReadOnlyList<int[]> completions, int padId, Device device)
    {
        if (prompts.Count != completions.Count) throw new ArgumentException("prompts and completions differ in count");
        int b = prompts.Count, t = Enumerable.Range(0, b).Max(i => prompts[i].Length + completions[i].Length);
        var tokens = new long[b * t];
        var mask = new float[b * (t - 1)];
        for (int r = 0; r < b; r++)
        {
            int p = prompts[r].Length, c = completions[r].Length;
            if (p == 0) throw new ArgumentException("every prompt needs at least one token (e.g. BOS)");
            for (int i = 0; i < t; i++)
                tokens[r * t + i] = i < p ? prompts[r].Tokens[i] : i < p + c ? completions[r][i - p] : padId;
            for (int i = p - 1; i < p + c - 1; i++) mask[r * (t - 1) + i] = 1f; // logits at i predict token i+1
        }
        return new(tensor(tokens, [b, t], device: device), tensor(mask, [b, t - 1], device: device), Prompt.Slots(prompts, _ => 0));
    }

    /// <summary>
    /// Runs the model (with gradients unless the caller is under no_grad) and gathers log π_T(token_{t+1} | ≤ t), where
    /// π_T = softmax(logits / <paramref name="temperature"/>) is the distribution the tokens were sampled from (TRL's GRPO
    /// scales the same way): at T ≠ 1 the unscaled log-probs would be those of another policy, and the policy gradient,
    /// the ratio and the KL would be off-policy. Entropy is computed without gradient (a diagnostic, not a loss term).
    /// </summary>
    public static TokenLogProbs Compute(IPolicy model, PackedSequences batch, double temperature = 1.0)
    {
        if (!(temperature > 0)) throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "log-probs need a temperature > 0");
        // the [B, T, V] intermediates (the logits, their bf16 original, exp(logp)) are freed here, not at the caller's step
        // end: autograd keeps what its backward reads (log_softmax's output) by itself
        using var scope = NewDisposeScope();
        long b = batch.Tokens.shape[0], t = batch.Tokens.shape[1];
        var positions = model.Processor.Positions(new long[b], 0, t, batch.Media, batch.Tokens.device); // [B, T]: 0..len-1 in every row
        var logits = model.Forward(batch.Tokens, positions, null, null, batch.Media)[.., ..^1]; // [B, T-1, V] fp32
        if (temperature != 1.0)
        {
            using var scaleBy = temperature.ToScalar();                        // explicit: see RmsNorm
            logits = logits.div(scaleBy);
        }
        var logp = logits.log_softmax(-1);                                    // [B, T-1, V]
        var targets = batch.Tokens[.., 1..].unsqueeze(-1);                    // [B, T-1, 1]
        var tokenLogp = logp.gather(-1, targets).squeeze(-1) * batch.CompletionMask; // [B, T-1]
        Tensor entropy;
        using (no_grad())
            entropy = -(logp.exp() * logp).sum(-1) * batch.CompletionMask;    // [B, T-1]
        return new(tokenLogp.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope(), batch.CompletionMask);
    }

    /// <summary>Convenience: pack, compute, and return per-row sequence log-probs as doubles (no gradient).</summary>
    public static double[] SequenceTotals(IPolicy model, IReadOnlyList<int[]> prompts, IReadOnlyList<int[]> completions, int padId,
        double temperature = 1.0)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var batch = Pack(prompts, completions, padId, model.Device);
        return Compute(model, batch, temperature).SequenceLogProbs().to(CPU).to_type(ScalarType.Float64).data<double>().ToArray();
    }
}
