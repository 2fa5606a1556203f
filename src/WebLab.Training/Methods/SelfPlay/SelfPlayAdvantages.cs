// Language Self-Play advantages (Kuba et al. 2025, Algorithm 1), as a pure function of the rewards.
// Solver: A_Sol(i,j) = S(i,j) − mean_j S(i,j), S = R (+ R_Q for LSP).
// Challenger: C(i) = −V(q_i) (+ V_Q(q_i) for LSP), V = mean_j R, V_Q = mean_j R_Q; A_Ch(i) = C(i) − mean_i C(i)
// (for LSP-Zero this is V̄ − V(q_i)). No division by a standard deviation unless asked (a named deviation).
// Two named deviations for the Challenger (issue 13), both off by default:
//   InvalidQuery.Loss: an invalid query counts as fully solved (V = 1 in its reward), so invalidity never pays;
//   ChallengerBaseline.PerTask: A_Ch(i) = C(i) − mean of C over the queries of i's task slot in this iteration, so that
//     "add is harder than len" (a slot the Challenger did not choose) stops entering every advantage.
using static WebLab.Training.Methods.Common.GroupAdvantages;

namespace WebLab.Training.Methods.SelfPlay;

/// <summary>What the Challenger's reward makes of a query that is not a valid instruction.</summary>
public enum InvalidQuery
{
    /// <summary>The paper: scored like any query (its answers earn R = 0, and R_Q = 0: it has no task), so −V = 0.</summary>
    Zero,
    /// <summary>A named deviation: it counts as fully solved, V = 1 (the reward's maximum), so its Challenger reward is −1 + V_Q.</summary>
    Loss,
}

/// <summary>What the Challenger's update makes of a query that is a held-out evaluation item (the Solver never trains on one).</summary>
public enum HeldOutQuery
{
    /// <summary>It leaves the Challenger's update as well, as if it had not been written: neither rewarded nor punished.</summary>
    Drop,
    /// <summary>The Challenger is scored on it from the Solver's sampled answers, like any query.</summary>
    Score,
}

/// <summary>What A_Ch subtracts from the Challenger reward C(i).</summary>
public enum ChallengerBaseline
{
    /// <summary>The paper: the mean of C over all N queries of the iteration.</summary>
    Mean,
    /// <summary>A named deviation: the mean of C over the queries that share i's task slot in this iteration (a query
    /// alone in its slot gets advantage 0); with the slot forced, pair it with queriesPerTask ≥ 2.</summary>
    PerTask,
}

/// <summary>Everything the update and the metrics need, per query i and answer j.</summary>
public sealed record SelfPlayAdvantageResult(
    double[][] SolverReward,      // S(i,j) = R + R_Q
    double[][] SolverAdvantage,   // A_Sol(i,j)
    double[] Value,               // V(q_i) = mean_j R(i,j)
    double ValueMean,             // V̄
    double[] QualityValue,        // V_Q(q_i) (0 without quality)
    double[] ChallengerReward,    // −V + V_Q (V = 1 for an invalid query under InvalidQuery.Loss)
    double[] ChallengerAdvantage, // A_Ch(i)
    double ZeroStdFraction);      // share of queries whose G rewards are all equal (no solver signal)

/// <summary>The Challenger's deviations from the paper: how invalid queries score and which baseline A_Ch uses.</summary>
/// <param name="Invalid">Per query: true when it is not a valid instruction (needed by <see cref="InvalidQuery.Loss"/>).</param>
/// <param name="Tasks">Per query: its task slot's index (needed by <see cref="ChallengerBaseline.PerTask"/>).</param>
public sealed record ChallengerRules(InvalidQuery InvalidQuery = InvalidQuery.Zero, ChallengerBaseline Baseline = ChallengerBaseline.Mean,
    bool[]? Invalid = null, int[]? Tasks = null)
{
    public static ChallengerRules Paper { get; } = new();
}

public static class SelfPlayAdvantages
{
    /// <summary>V of a query that counts as fully solved (<see cref="InvalidQuery.Loss"/>): the verifier's maximum.</summary>
    public const double SolvedValue = 1.0;

    /// <param name="rewards">R[i][j]: N queries × G answers.</param>
    /// <param name="quality">R_Q[i][j] (LSP) or null (LSP-Zero).</param>
    /// <param name="scaleByStd">Deviation option: divide each advantage by its group's std (+1e-4), as GRPO does.</param>
    /// <param name="rules">The Challenger's rules; null: the paper's.</param>
    public static SelfPlayAdvantageResult Compute(double[][] rewards, double[][]? quality, bool scaleByStd = false, ChallengerRules? rules = null)
    {
        rules ??= ChallengerRules.Paper;
        int n = rewards.Length;
        if (n == 0 || rewards.Any(r => r.Length == 0)) throw new ArgumentException("need at least one query with at least one answer");
        if (quality is not null && (quality.Length != n || quality.Zip(rewards).Any(p => p.First.Length != p.Second.Length)))
            throw new ArgumentException("quality must have the shape of rewards");
        if (rules.InvalidQuery == InvalidQuery.Loss && rules.Invalid?.Length != n) throw new ArgumentException("InvalidQuery.Loss needs the validity of every query");
        if (rules.Baseline == ChallengerBaseline.PerTask && rules.Tasks?.Length != n) throw new ArgumentException("ChallengerBaseline.PerTask needs the task slot of every query");

        var solverReward = rewards.Select((r, i) => r.Select((x, j) => x + (quality?[i][j] ?? 0)).ToArray()).ToArray();
        var solverAdvantage = solverReward.Select(s => GroupRelative(s, scaleByStd)).ToArray();
        var value = rewards.Select(r => r.Average()).ToArray();
        var qualityValue = quality?.Select(q => q.Average()).ToArray() ?? new double[n];
        var challengerValue = value.Select((v, i) => rules.InvalidQuery == InvalidQuery.Loss && rules.Invalid![i] ? SolvedValue : v).ToArray();
        var challengerReward = challengerValue.Select((v, i) => -v + qualityValue[i]).ToArray();
        var challengerAdvantage = rules.Baseline == ChallengerBaseline.PerTask
            ? PerGroup(challengerReward, rules.Tasks!, scaleByStd)
            : GroupRelative(challengerReward, scaleByStd);
        var zeroStd = ZeroStdFraction(rewards);
        return new(solverReward, solverAdvantage, value, value.Average(), qualityValue, challengerReward, challengerAdvantage, zeroStd);
    }

    /// <summary>Each x against the mean (and std) of the x that share its group: [a, b | c] in groups [0, 0, 1] → [(a−b)/2, (b−a)/2, 0].</summary>
    static double[] PerGroup(double[] x, int[] groups, bool scaleByStd)
    {
        var result = new double[x.Length];
        foreach (var g in Enumerable.Range(0, x.Length).GroupBy(i => groups[i]))
        {
            var members = g.ToArray();
            var relative = GroupRelative(members.Select(i => x[i]).ToArray(), scaleByStd);
            for (int k = 0; k < members.Length; k++) result[members[k]] = relative[k];
        }
        return result;
    }

    /// <summary>
    /// The task slot of each of <paramref name="queries"/> queries at <paramref name="step"/> (1-based), as an index into
    /// <paramref name="taskCount"/> tasks: blocks of <paramref name="queriesPerTask"/> consecutive queries share a task,
    /// tasks round-robin over blocks and steps. queriesPerTask 1 is plain round-robin: task ((step−1)·N + i) mod T.
    /// Example: N 8, 2 per task, T 7 → step 1: 0 0 1 1 2 2 3 3; step 2: 4 4 5 5 6 6 0 0.
    /// </summary>
    public static int[] TaskSlots(int step, int queries, int queriesPerTask, int taskCount)
    {
        int blocks = (queries + queriesPerTask - 1) / queriesPerTask;
        return Enumerable.Range(0, queries).Select(i => (int)((((long)step - 1) * blocks + i / queriesPerTask) % taskCount)).ToArray();
    }
}
