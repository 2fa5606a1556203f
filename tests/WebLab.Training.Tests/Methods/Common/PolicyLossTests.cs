// Hand-worked losses and gradients of Algorithm 1 (N = 2, G = 3, β = 0.1) for each KL estimator.
using TorchSharp;
using WebLab.Training.Methods.Common;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.Common;

public class PolicyLossTests
{
    const double Beta = 0.1;
    // Solver rows k = 0..5 (query 0: answers 0..2; query 1: answers 3..5), two token slots each; rows 0 and 4 have a
    // padded second slot. Sequence log-probs l = [−1, −2, −3, −1, −2, −3], reference r = [−1.5, −2, −2, −1, −1, −3].
    static readonly float[] Tokens = [-1f, 0f, -1.5f, -0.5f, -1f, -2f, -0.25f, -0.75f, -2f, 0f, -1f, -2f];
    static readonly float[] Pad = [1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1];
    static readonly float[] RefTokens = [-1.5f, 0f, -1f, -1f, -1f, -1f, -0.5f, -0.5f, -1f, 0f, -1.5f, -1.5f];
    // LSP-Zero solver advantages from SelfPlayAdvantagesTests: [2/3, −1/3, −1/3, 1/3, 1/3, −2/3]
    static readonly double[] ASol = [2.0 / 3, -1.0 / 3, -1.0 / 3, 1.0 / 3, 1.0 / 3, -2.0 / 3];
    static readonly double[] L = [-1, -2, -3, -1, -2, -3];
    static readonly double[] Ref = [-1.5, -2, -2, -1, -1, -3];

    static (double Loss, float[] Grad) Run(KlEstimator kl, LossAveraging avg = LossAveraging.Sequence)
    {
        using var scope = NewDisposeScope();
        var logp = tensor(Tokens, [6, 2]).requires_grad_(true);
        var (loss, stats) = PolicyLoss.Compute(logp * tensor(Pad, [6, 2]), tensor(RefTokens, [6, 2]), tensor(Pad, [6, 2]),
            tensor(ASol.Select(a => (float)a).ToArray()), Beta, kl, avg);
        loss.backward();
        Assert.Equal(loss.item<float>(), stats.Loss, 6);
        return (loss.item<float>(), logp.grad!.data<float>().ToArray());
    }

    [Fact]
    public void Literal_kl_loss_and_gradient_match_the_hand_computation()
    {
        // L = −1/6 Σ [A_k − β (l_k − r_k)]; Σ A = 0, Σ (l − r) = −1.5 → L = −1/6 · 0.15 = −0.025
        // ∂L/∂(each real token of row k) = −1/6 (A_k − β): the literal KL adds the constant β/6 to every token's gradient.
        var (loss, grad) = Run(KlEstimator.Literal);
        Assert.Equal(-0.025, loss, 6);
        for (int k = 0; k < 6; k++)
            for (int t = 0; t < 2; t++)
                Assert.Equal(Pad[2 * k + t] * -(ASol[k] - Beta) / 6, grad[2 * k + t], 6);
    }

    [Fact]
    public void Advantage_penalty_has_the_same_value_but_the_true_kl_gradient()
    {
        // value as above; ∂L/∂l_k = −1/6 (A_k − β (l_k − r_k)): row 0 → −1/6 (2/3 − 0.05), row 2 → −1/6 (−1/3 + 0.1)
        var (loss, grad) = Run(KlEstimator.AdvantagePenalty);
        Assert.Equal(-0.025, loss, 6);
        for (int k = 0; k < 6; k++)
            Assert.Equal(-(ASol[k] - Beta * (L[k] - Ref[k])) / 6, grad[2 * k], 6);
        Assert.Equal(0, grad[1]); // padded slot gets nothing
    }

    [Fact]
    public void K3_loss_and_gradient_match_the_hand_computation()
    {
        // per token k3 = e^{r−l} − (r−l) − 1; ∂k3/∂l = 1 − e^{r−l}; L = −1/6 Σ_k [A_k − β Σ_t k3]
        double k3Sum = 0;
        var expectedGrad = new double[12];
        for (int i = 0; i < 12; i++)
        {
            if (Pad[i] == 0) continue;
            double d = RefTokens[i] - Tokens[i];
            k3Sum += Math.Exp(d) - d - 1;
            expectedGrad[i] = -(ASol[i / 2] - Beta * (1 - Math.Exp(d))) / 6;
        }
        var (loss, grad) = Run(KlEstimator.K3);
        Assert.Equal(Beta * k3Sum / 6, loss, 5);
        for (int i = 0; i < 12; i++) Assert.Equal(expectedGrad[i], grad[i], 5);
    }

    [Fact]
    public void Token_averaging_divides_each_row_by_its_length()
    {
        // literal KL, token mean: row term = Σ_t (A_k − β (l_t − r_t)) / n_k; ∂L/∂l_t = −(A_k − β) / (6 n_k)
        var (_, grad) = Run(KlEstimator.Literal, LossAveraging.Token);
        Assert.Equal(-(ASol[0] - Beta) / 6 / 1, grad[0], 6); // row 0 has one real token
        Assert.Equal(-(ASol[1] - Beta) / 6 / 2, grad[2], 6); // row 1 has two
    }

    [Fact]
    public void Challenger_and_solver_losses_combine_with_alpha()
    {
        // L_Ch for N = 2 rows, A_Ch = [1/6, −1/6], literal KL with l − r = [0.5, −1]:
        // L_Ch = −1/2 [(1/6 − 0.05) + (−1/6 + 0.1)] = −0.025;  L = L_Sol + α L_Ch = −0.025 + 0.5·(−0.025) = −0.0375
        using var scope = NewDisposeScope();
        var q = tensor(new[] { -2f, -3f }, [2, 1]).requires_grad_(true);
        var (lCh, _) = PolicyLoss.Compute(q, tensor(new[] { -2.5f, -2f }, [2, 1]), ones(2, 1), tensor(new[] { 1f / 6, -1f / 6 }), Beta, KlEstimator.Literal, LossAveraging.Sequence);
        Assert.Equal(-0.025, lCh.item<float>(), 6);
        Assert.Equal(-0.0375, Run(KlEstimator.Literal).Loss + 0.5 * lCh.item<float>(), 6);
        lCh.backward();
        Assert.Equal(-(1.0 / 6 - Beta) / 2, q.grad![0, 0].item<float>(), 6);
    }
}
