// EasyR1's GRPO advantage: each reward z-scored within its prompt's group, A = (r − mean) / (std + ε), with the unbiased
// (n − 1) std as torch.std computes it and ε = 1e-6; a group of one gets mean 0 and std 1 (verl's rule).
namespace WebLab.Training.Methods.VisionSr1;

public static class VisionSr1Advantages
{
    /// <summary>[2, 0, 1, 1] → mean 1, unbiased std √(2/3) → [1.2247, −1.2247, 0, 0]; [1, 1] → [0, 0].</summary>
    public static double[] ZScore(IReadOnlyList<double> group, double eps = 1e-6)
    {
        if (group.Count == 1) return [group[0] / (1 + eps)];
        var mean = group.Average();
        var std = Math.Sqrt(group.Sum(r => (r - mean) * (r - mean)) / (group.Count - 1));
        return group.Select(r => (r - mean) / (std + eps)).ToArray();
    }

    /// <summary>The paper's v2 reading (AdvantageMode.Separate): each reward z-scored within the group, then added.
    /// answer [0.9, 0.1, 1, 1] and description [1, 1, 0, 0] → ZScore(answer) + ZScore(description) (each with its own mean
    /// and std), where Summed would z-score [1.9, 1.1, 1, 1] once.</summary>
    public static double[] Separate(IReadOnlyList<double> answer, IReadOnlyList<double> description, double eps = 1e-6) =>
        [.. ZScore(answer, eps).Zip(ZScore(description, eps), (a, d) => a + d)];
}
