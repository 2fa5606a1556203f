// Hand-worked Algorithm 1 advantages: N = 2 queries, G = 3 answers.
using WebLab.Training.Methods.SelfPlay;

namespace WebLab.Training.Tests.Methods.SelfPlay;

public class SelfPlayAdvantagesTests
{
    // R = [[1,0,0],[1,1,0]]; R_Q (0–7 scale) = [[3,5,1],[2,2,2]]
    static readonly double[][] R = [[1, 0, 0], [1, 1, 0]];
    static readonly double[][] Q = [[3, 5, 1], [2, 2, 2]];

    static void Near(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void Lsp_zero_solver_advantage_is_reward_minus_group_mean()
    {
        var a = SelfPlayAdvantages.Compute(R, null);
        // V = [1/3, 2/3]; A_Sol = R − V
        Near([1.0 / 3, 2.0 / 3], a.Value);
        Near([2.0 / 3, -1.0 / 3, -1.0 / 3], a.SolverAdvantage[0]);
        Near([1.0 / 3, 1.0 / 3, -2.0 / 3], a.SolverAdvantage[1]);
    }

    [Fact]
    public void Lsp_zero_challenger_advantage_is_mean_value_minus_value()
    {
        var a = SelfPlayAdvantages.Compute(R, null);
        // V̄ = 1/2; A_Ch = V̄ − V = [1/6, −1/6]; challenger reward −V
        Assert.Equal(0.5, a.ValueMean, 12);
        Near([-1.0 / 3, -2.0 / 3], a.ChallengerReward);
        Near([1.0 / 6, -1.0 / 6], a.ChallengerAdvantage);
        Assert.Equal(0, a.ZeroStdFraction);
    }

    [Fact]
    public void Lsp_adds_quality_to_both_rewards_before_advantages()
    {
        var a = SelfPlayAdvantages.Compute(R, Q);
        // S = R + R_Q = [[4,5,1],[3,3,2]], group means 10/3 and 8/3
        Near([2.0 / 3, 5.0 / 3, -7.0 / 3], a.SolverAdvantage[0]);
        Near([1.0 / 3, 1.0 / 3, -2.0 / 3], a.SolverAdvantage[1]);
        // V_Q = [3, 2]; C = −V + V_Q = [8/3, 4/3], mean 2 → A_Ch = [2/3, −2/3]
        Near([3, 2], a.QualityValue);
        Near([8.0 / 3, 4.0 / 3], a.ChallengerReward);
        Near([2.0 / 3, -2.0 / 3], a.ChallengerAdvantage);
        Near([1.0 / 3, 2.0 / 3], a.Value); // V stays the verifier's value
    }

    [Fact]
    public void Groups_with_equal_rewards_count_as_zero_std()
    {
        var a = SelfPlayAdvantages.Compute([[1, 1, 1], [0, 1, 0]], null);
        Assert.Equal(0.5, a.ZeroStdFraction);
        Near([0, 0, 0], a.SolverAdvantage[0]);
    }

    [Fact]
    public void Std_scaling_is_an_option_not_the_default()
    {
        // group [1,0,0]: mean 1/3, population std √2/3 ≈ 0.4714 → 2/3 / (0.4714 + 1e-4)
        var a = SelfPlayAdvantages.Compute(R, null, scaleByStd: true);
        Assert.Equal((2.0 / 3) / (Math.Sqrt(2) / 3 + 1e-4), a.SolverAdvantage[0][0], 9);
    }

    [Fact]
    public void Per_task_baseline_compares_a_query_only_with_its_own_task_slot()
    {
        // N = 4, G = 3, slots [0, 0, 1, 1] (say len, len, add, add); LSP-Zero: C = −V
        double[][] r = [[1, 0, 0], [1, 1, 0], [0, 0, 0], [1, 1, 0]];
        // V = [1/3, 2/3, 0, 2/3] → C = [−1/3, −2/3, 0, −2/3]
        // Mean (the paper): mean C = (−1/3 − 2/3 + 0 − 2/3) / 4 = −5/12 → A = [1/12, −3/12, 5/12, −3/12]
        Near([1.0 / 12, -3.0 / 12, 5.0 / 12, -3.0 / 12], SelfPlayAdvantages.Compute(r, null).ChallengerAdvantage);
        // PerTask: slot 0 mean −1/2 → [1/6, −1/6]; slot 1 mean −1/3 → [1/3, −1/3]
        var perTask = new ChallengerRules(Baseline: ChallengerBaseline.PerTask, Tasks: [0, 0, 1, 1]);
        Near([1.0 / 6, -1.0 / 6, 1.0 / 3, -1.0 / 3], SelfPlayAdvantages.Compute(r, null, rules: perTask).ChallengerAdvantage);
        // a query alone in its slot has nothing to be compared with: advantage 0
        var alone = new ChallengerRules(Baseline: ChallengerBaseline.PerTask, Tasks: [0, 0, 1, 2]);
        Near([1.0 / 6, -1.0 / 6, 0, 0], SelfPlayAdvantages.Compute(r, null, rules: alone).ChallengerAdvantage);
    }

    [Fact]
    public void Rules_that_need_per_query_facts_refuse_to_run_without_them()
    {
        Assert.Throws<ArgumentException>(() => SelfPlayAdvantages.Compute(R, null, rules: new(InvalidQuery.Loss)));
        Assert.Throws<ArgumentException>(() => SelfPlayAdvantages.Compute(R, null, rules: new(Baseline: ChallengerBaseline.PerTask, Tasks: [0])));
    }

    [Theory]
    [InlineData(1, 8, 1, 7, new[] { 0, 1, 2, 3, 4, 5, 6, 0 })]   // plain round-robin, as before: ((1−1)·8 + i) mod 7
    [InlineData(2, 8, 1, 7, new[] { 1, 2, 3, 4, 5, 6, 0, 1 })]   // (8 + i) mod 7
    [InlineData(1, 8, 2, 7, new[] { 0, 0, 1, 1, 2, 2, 3, 3 })]   // 4 blocks of 2
    [InlineData(2, 8, 2, 7, new[] { 4, 4, 5, 5, 6, 6, 0, 0 })]   // blocks 4..7 mod 7
    [InlineData(1, 5, 2, 7, new[] { 0, 0, 1, 1, 2 })]            // 3 blocks, the last one short
    [InlineData(3, 4, 4, 1, new[] { 0, 0, 0, 0 })]               // one task (empty slot): all the same
    public void Task_slots_go_round_robin_over_blocks_of_queries(int step, int n, int perTask, int tasks, int[] expected) =>
        Assert.Equal(expected, SelfPlayAdvantages.TaskSlots(step, n, perTask, tasks));
}
