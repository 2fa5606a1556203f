// The policy-gradient loss with a KL leash to the reference, shared by self-play and GRPO.
// Row term (to maximise): exp(logπ − ⊥logπ)·A' − β·KL, loss = −mean over rows.
//   Literal (paper as written): KL = logπθ − logπ_Ref of the sequence, inside the loss. Its gradient on samples from
//     πθ is zero in expectation: it does not pull towards the reference (shared/notes/self-play-on-a-tiny-model.md).
//   AdvantagePenalty: A' = A − β·⊥(logπθ − logπ_Ref), no KL term: the score-function gradient of the sequence KL.
//   K3 (TRL's GRPO): per-token exp(r) − r − 1, r = logπ_Ref − logπθ, inside the loss.
// Averaging: Sequence = sums over tokens (the paper's sequence log-probs); Token = mean over each row's tokens.
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Common;

public enum KlEstimator { Literal, AdvantagePenalty, K3 }

public enum LossAveraging { Sequence, Token }

/// <summary>Detached statistics of one loss term.</summary>
public sealed record PolicyLossStats(double Loss, double Kl, double MeanLogRatio);

public static class PolicyLoss
{
    /// <param name="logp">log πθ per token [B, T] (with gradient), zero outside <paramref name="mask"/>.</param>
    /// <param name="refLogp">log π_Ref per token [B, T] (no gradient).</param>
    /// <param name="mask">[B, T] 1 on completion tokens.</param>
    /// <param name="advantages">[B].</param>
    /// <param name="oldLogp">For PPO-style repeated updates: log π_old per token; the ratio π/π_old is then clipped at 1 ± epsilon
    /// (TRL's GRPO). Null: on-policy, ratio exp(logπ − ⊥logπ) = 1 (the paper's Algorithm 1).</param>
    public static (Tensor Loss, PolicyLossStats Stats) Compute(Tensor logp, Tensor refLogp, Tensor mask, Tensor advantages,
        double beta, KlEstimator kl, LossAveraging averaging, Tensor? oldLogp = null, double epsilon = 0.2)
    {
        var tokens = mask.sum(-1).clamp_min(1);                              // [B]
        var seqLogp = (logp * mask).sum(-1);                                 // [B]
        var seqRef = (refLogp * mask).sum(-1);                               // [B]
        var seqLogRatio = seqLogp - seqRef;                                  // [B] k1 of each row
        var adv = kl == KlEstimator.AdvantagePenalty ? advantages - beta * seqLogRatio.detach() : advantages;

        Tensor rowObjective;                                                 // [B]
        if (averaging == LossAveraging.Sequence)
        {
            var ratio = (seqLogp - (oldLogp is null ? seqLogp.detach() : (oldLogp * mask).sum(-1))).exp(); // = 1 on-policy, gradient ∇logπ
            rowObjective = Clipped(ratio, adv, oldLogp is null ? null : epsilon) - beta * RowKl(logp, refLogp, mask, kl, seqLogRatio);
        }
        else
        {
            var ratio = (logp - (oldLogp ?? logp.detach())).exp();          // [B, T]
            var klTokens = kl switch
            {
                KlEstimator.Literal => logp - refLogp,
                KlEstimator.K3 => K3(logp, refLogp),
                _ => zeros_like(logp),
            };
            rowObjective = ((Clipped(ratio, adv.unsqueeze(-1), oldLogp is null ? null : epsilon) - beta * klTokens) * mask).sum(-1) / tokens;
        }
        var loss = -rowObjective.mean();
        var klValue = kl == KlEstimator.K3 ? (K3(logp, refLogp) * mask).sum(-1) : seqLogRatio;
        return (loss, new(loss.item<float>(), klValue.mean().item<float>(), seqLogRatio.mean().item<float>()));
    }

    /// <summary>min(r·A, clip(r, 1 − ε, 1 + ε)·A), or r·A when not clipping.</summary>
    static Tensor Clipped(Tensor ratio, Tensor adv, double? epsilon) =>
        epsilon is double e ? minimum(ratio * adv, ratio.clamp(1 - e, 1 + e) * adv) : ratio * adv;

    /// <summary>Per-token k3 = exp(r) − r − 1 with r = logπ_Ref − logπθ (≥ 0, unbiased for KL(πθ‖π_Ref)).</summary>
    public static Tensor K3(Tensor logp, Tensor refLogp)
    {
        var r = refLogp - logp;
        using var one = 1.0.ToScalar();                                      // explicit: see RmsNorm
        return r.exp() - r - one;
    }

    static Tensor RowKl(Tensor logp, Tensor refLogp, Tensor mask, KlEstimator kl, Tensor seqLogRatio) => kl switch
    {
        KlEstimator.Literal => seqLogRatio,
        KlEstimator.K3 => (K3(logp, refLogp) * mask).sum(-1),
        _ => zeros_like(seqLogRatio),
    };
}
