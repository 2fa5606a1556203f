// The PPO-clip policy loss as EasyR1/verl compute it for GRPO (Vision-SR1's trainer), with k3 KL in the loss:
//   r = exp(logπθ − logπ_old) per token
//   l1 = −A·r,  l2 = −A·clip(r, 1 − ε_low, 1 + ε_high),  l = max(l1, l2)
//   dual clip for A < 0: l = min(l, −A·c)   (c = 3: a negative advantage's loss never exceeds 3·|A|)
//   k3 = exp(q) − q − 1, q = logπ_Ref − logπθ (q clamped to ±20 and k3 to ±10, as verl's low_var_kl does)
//   loss = token-mean(l) + β·token-mean(k3)   (token-mean: over every response token of the batch at once)
using WebLab.Training.Models.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Common;

/// <summary>Clip bounds and KL weight; defaults are Vision-SR1's public code (EasyR1): 0.2 / 0.3, dual 3.0, β 0.01.</summary>
public sealed record ClipSettings(double Low = 0.2, double High = 0.3, double Dual = 3.0, double Beta = 0.01);

/// <summary>Detached statistics: the loss, its policy part, the mean k3, the share of tokens clipped, the mean ratio.</summary>
public sealed record ClippedLossStats(double Loss, double PolicyLoss, double Kl, double ClipFraction, double MeanRatio);

public static class ClippedPolicyLoss
{
    /// <param name="logp">log πθ per token [B, T] (with gradient).</param>
    /// <param name="oldLogp">log π_old per token [B, T], the policy that sampled (no gradient).</param>
    /// <param name="refLogp">log π_Ref per token [B, T] (no gradient).</param>
    /// <param name="mask">[B, T] 1 on response tokens.</param>
    /// <param name="advantages">[B], the same value on each of the row's tokens.</param>
    /// <param name="tokens">The token-mean's denominator when these rows are one micro-batch of a larger batch (its response
    /// tokens; the parts then add up to the batch's loss and statistics); null: this batch's own.</param>
    public static (Tensor Loss, ClippedLossStats Stats) Compute(Tensor logp, Tensor oldLogp, Tensor refLogp, Tensor mask, Tensor advantages, ClipSettings s,
        double? tokens = null)
    {
        var a = advantages.unsqueeze(-1);                                   // [B, 1]
        var ratio = (logp - oldLogp).exp();                                 // [B, T]
        var l1 = -a * ratio;
        var l2 = -a * ratio.clamp(1 - s.Low, 1 + s.High);
        var clipped = maximum(l1, l2);
        var perToken = where(a < 0, minimum(clipped, -a * s.Dual), clipped);  // [B, T]
        var q = (refLogp - logp).clamp(-20, 20);
        var k3 = (q.exp() - q - 1).clamp(-10, 10);                          // [B, T]
        Tensor Mean(Tensor x) => tokens is double n ? (x * mask).sum() / n : TokenMean(x, mask);
        var policy = Mean(perToken);
        var kl = Mean(k3);
        using var beta = s.Beta.ToScalar();                                 // explicit: see TensorMath
        var loss = policy.Plus(kl * beta);
        using var clipFrac = Mean((l2 > l1).to_type(ScalarType.Float32));
        using var meanRatio = Mean(ratio.detach());
        return (loss, new(loss.item<float>(), policy.item<float>(), kl.item<float>(), clipFrac.item<float>(), meanRatio.item<float>()));
    }

    /// <summary>Σ x·mask / Σ mask over the whole batch (verl's masked_mean, "token-mean").</summary>
    public static Tensor TokenMean(Tensor x, Tensor mask) => (x * mask).sum() / mask.sum().clamp_min(1);
}
