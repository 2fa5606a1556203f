// Group-relative advantages, shared by every RL method: each reward against its group's mean (GRPO's A = r − mean,
// Algorithm 1's A_Sol and A_Ch), the population std that optionally scales them, and the share of groups without signal.
namespace WebLab.Training.Methods.Common;

public static class GroupAdvantages
{
    /// <summary>x − mean(x), optionally divided by (std(x) + 1e-4) with the population std.
    /// [1, 0, 0] → [2/3, −1/3, −1/3]; scaled: each divided by √2/3 + 1e-4.</summary>
    public static double[] GroupRelative(double[] x, bool scaleByStd)
    {
        var mean = x.Average();
        var std = Std(x);
        return x.Select(v => scaleByStd ? (v - mean) / (std + 1e-4) : v - mean).ToArray();
    }

    /// <summary>Population standard deviation: [1, 0, 0] → √(2/9) = √2/3.</summary>
    public static double Std(IReadOnlyCollection<double> x)
    {
        var mean = x.Average();
        return Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / x.Count);
    }

    /// <summary>Whether a group's rewards differ, so its advantages are not all zero: [1, 0] → true, [0.5, 0.5] → false.
    /// GRPO's dynamic sampling and the Solver's refills keep only such groups.</summary>
    public static bool HasSignal(IReadOnlyList<double> group) => group.Any(x => x != group[0]);

    /// <summary>Share of groups whose rewards are all equal: they give the policy no learning signal (TRL: frac_reward_zero_std).</summary>
    public static double ZeroStdFraction(double[][] groups) => groups.Count(g => !HasSignal(g)) / (double)groups.Length;
}
