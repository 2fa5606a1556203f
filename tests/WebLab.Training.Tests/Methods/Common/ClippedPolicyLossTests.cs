// EasyR1's clipped loss by hand: asymmetric clip (0.2 / 0.3), dual clip 3 for a negative advantage, token-mean over
// the batch, k3 KL in the loss.
using WebLab.Training.Methods.Common;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.Common;

public class ClippedPolicyLossTests
{
    // Row 0: A = +1, ratios 1.5 and 0.9 (old log-probs 0). Row 1: A = −1, one real token with ratio 4, one padded.
    static readonly float[] Logp = [MathF.Log(1.5f), MathF.Log(0.9f), MathF.Log(4f), 0f];
    static readonly float[] Mask = [1, 1, 1, 0];

    [Fact]
    public void Clip_dual_clip_and_token_mean_match_the_hand_computation()
    {
        using var scope = NewDisposeScope();
        var logp = tensor(Logp, [2, 2]).requires_grad_(true);
        var zero = zeros(2, 2);
        var (loss, stats) = ClippedPolicyLoss.Compute(logp, zero, logp.detach(), tensor(Mask, [2, 2]), tensor(new[] { 1f, -1f }), new());
        // row 0, token 0: l1 = −1.5, l2 = −clip(1.5, 0.8, 1.3) = −1.3 → max −1.3 (clipped: no gradient)
        // row 0, token 1: l1 = l2 = −0.9 → −0.9 (gradient −A·r = −0.9)
        // row 1, token 0: l1 = 4, l2 = 1.3 → max 4; dual clip min(4, 3·1) = 3 (constant: no gradient)
        // token-mean over 3 real tokens: (−1.3 − 0.9 + 3) / 3 = 0.2667; reference = policy: k3 = 0
        Assert.Equal(0.8 / 3, stats.Loss, 5);
        Assert.Equal(0.8 / 3, stats.PolicyLoss, 5);
        Assert.Equal(0, stats.Kl, 6);
        Assert.Equal(1.0 / 3, stats.ClipFraction, 5);                       // only row 0's token 0 has l2 > l1
        Assert.Equal((1.5 + 0.9 + 4) / 3, stats.MeanRatio, 5);
        loss.backward();
        Assert.Equal([0f, -0.3f, 0f, 0f], logp.grad!.data<float>().ToArray().Select(g => MathF.Round(g, 5)));
    }

    [Fact]
    public void K3_enters_the_loss_with_its_weight()
    {
        using var scope = NewDisposeScope();
        // one token, ratio 1 (logp = old), A = 0: no policy loss; q = logπ_Ref − logπθ = ln 2 → k3 = 2 − ln 2 − 1 = 0.306853
        var logp = tensor(new[] { -1f }, [1, 1]);
        var (_, stats) = ClippedPolicyLoss.Compute(logp, logp, logp + MathF.Log(2f), ones(1, 1), zeros(1), new(Beta: 0.5));
        Assert.Equal(1 - Math.Log(2), stats.Kl, 5);
        Assert.Equal(0.5 * (1 - Math.Log(2)), stats.Loss, 5);
        Assert.Equal(0, stats.PolicyLoss, 6);
    }
}
