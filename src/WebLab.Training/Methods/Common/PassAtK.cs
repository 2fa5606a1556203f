// pass@k: the chance that at least one of k answers is right, estimated from n ≥ k samples of which c were right
// (the unbiased estimator of Chen et al. 2021, "Evaluating Large Language Models Trained on Code"):
//   pass@k = 1 − C(n − c, k) / C(n, k)
// RL on a verifiable reward mostly turns what a model can sometimes do (pass@k at the training temperature) into what
// it does greedily; an item the base never gets right in k samples gives RL nothing to reinforce.
namespace WebLab.Training.Methods.Common;

public static class PassAtK
{
    /// <summary>n = 4, c = 1, k = 2 → 1 − C(3,2)/C(4,2) = 1 − 3/6 = 0.5; k = 1 → c / n; c = 0 → 0; n − c &lt; k → 1.</summary>
    public static double Estimate(int n, int c, int k)
    {
        if (n < 1 || k < 1 || k > n || c < 0 || c > n)
            throw new ArgumentOutOfRangeException(nameof(n), $"need 1 ≤ k ≤ n and 0 ≤ c ≤ n (n {n}, c {c}, k {k})");
        if (n - c < k) return 1;
        // C(n−c,k)/C(n,k) = Π_{i=n−c+1..n} (1 − k/i), a product that neither overflows nor loses precision
        double missAll = 1;
        for (int i = n - c + 1; i <= n; i++) missAll *= 1 - (double)k / i;
        return 1 - missAll;
    }
}
