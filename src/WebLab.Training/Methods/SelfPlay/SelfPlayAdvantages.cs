// Language Self-Play advantages (Kuba et al. 2025, Algorithm 1), as a pure function of the rewards.
// Solver: A_Sol(i,j) = S(i,j) − mean_j S(i,j), S = R (+ R_Q for LSP).
// Challenger: C(i) = −V(q_i) (+ V_Q(q_i) for LSP), V = mean_j R, V_Q = mean_j R_Q; A_Ch(i) = C(i) − mean_i C(i)
// (for LSP-Zero this is V̄ − V(q_i)). No division by a standard deviation unless asked (a named deviation).
using static WebLab.Training.Methods.Common.GroupAdvantages;

namespace WebLab.Training.Methods.SelfPlay;

/// <summary>Everything the update and the metrics need, per query i and answer j.</summary>
public sealed record SelfPlayAdvantageResult(
    double[][] SolverReward,      // S(i,j) = R + R_Q
    double[][] SolverAdvantage,   // A_Sol(i,j)
    double[] Value,               // V(q_i) = mean_j R(i,j)
    double ValueMean,             // V̄
    double[] QualityValue,        // V_Q(q_i) (0 without quality)
    double[] ChallengerReward,    // −V + V_Q
    double[] ChallengerAdvantage, // A_Ch(i)
    double ZeroStdFraction);      // share of queries whose G rewards are all equal (no solver signal)

public static class SelfPlayAdvantages
{
    /// <param name="rewards">R[i][j]: N queries × G answers.</param>
    /// <param name="quality">R_Q[i][j] (LSP) or null (LSP-Zero).</param>
    /// <param name="scaleByStd">Deviation option: divide each advantage by its group's std (+1e-4), as GRPO does.</param>
    public static SelfPlayAdvantageResult Compute(double[][] rewards, double[][]? quality, bool scaleByStd = false)
    {
        int n = rewards.Length;
        if (n == 0 || rewards.Any(r => r.Length == 0)) throw new ArgumentException("need at least one query with at least one answer");
        if (quality is not null && (quality.Length != n || quality.Zip(rewards).Any(p => p.First.Length != p.Second.Length)))
            throw new ArgumentException("quality must have the shape of rewards");

        var solverReward = rewards.Select((r, i) => r.Select((x, j) => x + (quality?[i][j] ?? 0)).ToArray()).ToArray();
        var solverAdvantage = solverReward.Select(s => GroupRelative(s, scaleByStd)).ToArray();
        var value = rewards.Select(r => r.Average()).ToArray();
        var qualityValue = quality?.Select(q => q.Average()).ToArray() ?? new double[n];
        var challengerReward = value.Select((v, i) => -v + qualityValue[i]).ToArray();
        var challengerAdvantage = GroupRelative(challengerReward, scaleByStd);
        var zeroStd = ZeroStdFraction(rewards);
        return new(solverReward, solverAdvantage, value, value.Average(), qualityValue, challengerReward, challengerAdvantage, zeroStd);
    }
}
