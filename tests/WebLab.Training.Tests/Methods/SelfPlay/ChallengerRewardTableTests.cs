// The Challenger's reward for four kinds of query, worked out by hand, under LSP (quality weight 1/7 as tiny-cpu, and
// 1 as the paper) and LSP-Zero, with TinyTasks' own verifier (exact match) and rule-based quality judge. Issue 13: an
// invalid query must not pay more than a valid one the Solver fails, and under LSP no more than an easy solved one.
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Methods.SelfPlay;

namespace WebLab.Training.Tests.Methods.SelfPlay;

public class ChallengerRewardTableTests
{
    // G = 2 answers per query, both stopped with the end token.
    //   invalid        "foo abc"       answers cba, cba            R = 0, 0   R_Q = 0, 0 (no task: no criterion)   V 0    V_Q 0
    //   easy solved    "rev ab"        answers ba, ba              R = 1, 1   R_Q = 7, 7 (all seven criteria)      V 1    V_Q 7
    //   half solved    "add 12 7"      answers 19, 18              R = 1, 0   R_Q = 7, 7 (digits: well-formed)     V 1/2  V_Q 7
    //   valid unsolved "rev abcdefgh"  answers hgfedcbb, hgfedcab  R = 0, 0   R_Q = 7, 7 (16 chars, diversity 1)   V 0    V_Q 7
    static readonly (string Query, string[] Answers)[] Queries =
    [
        ("foo abc", ["cba", "cba"]),
        ("rev ab", ["ba", "ba"]),
        ("add 12 7", ["19", "18"]),
        ("rev abcdefgh", ["hgfedcbb", "hgfedcab"]),
    ];

    static readonly TinyTasksRlDomain Domain = new(partialCredit: false);

    // the domain's reward (exact match: TinyTaskVerifier.Reward) and quality judge (TinyTasksQualityJudge) on each answer
    static double[][] Rewards() => [.. Queries.Select(q => q.Answers.Select(a => TinyTaskVerifier.Reward(q.Query, a)).ToArray())];

    static double[][] Quality(double weight) =>
        [.. Queries.Select(q => q.Answers.Select(a => weight * TinyTasksQualityJudge.Score(q.Query, a, answerStopped: true).Score).ToArray())];

    static bool[] Invalid => [.. Queries.Select(q => Domain.Category(q.Query) == "invalid")];

    static void Near(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], actual[i], 12);
    }

    [Fact]
    public void The_inputs_are_what_the_table_assumes()
    {
        Assert.Equal(new double[][] { [0, 0], [1, 1], [1, 0], [0, 0] }, Rewards());
        Assert.Equal(new double[][] { [0, 0], [7, 7], [7, 7], [7, 7] }, Quality(1));
        Assert.Equal(new[] { true, false, false, false }, Invalid);
    }

    [Fact]
    public void Under_lsp_at_quality_weight_one_seventh_a_failed_valid_query_pays_most_and_an_invalid_one_no_more_than_an_easy_one()
    {
        // C = −V + V_Q with V_Q = 7 · 1/7 = 1:  invalid 0 + 0 = 0;  easy −1 + 1 = 0;  half −1/2 + 1 = 1/2;  unsolved 0 + 1 = 1
        var a = SelfPlayAdvantages.Compute(Rewards(), Quality(1.0 / 7));
        Near([0, 0, 0.5, 1], a.ChallengerReward);
        // A_Ch = C − mean C, mean = 1.5 / 4 = 0.375
        Near([-0.375, -0.375, 0.125, 0.625], a.ChallengerAdvantage);
    }

    [Fact]
    public void Under_lsp_at_the_papers_quality_weight_the_order_is_the_same()
    {
        // V_Q = 7:  invalid 0;  easy −1 + 7 = 6;  half −1/2 + 7 = 6.5;  unsolved 7
        var a = SelfPlayAdvantages.Compute(Rewards(), Quality(1));
        Near([0, 6, 6.5, 7], a.ChallengerReward);
    }

    [Fact]
    public void Under_lsp_zero_an_invalid_query_is_a_best_move_as_in_the_paper()
    {
        // C = −V:  invalid 0;  easy −1;  half −1/2;  unsolved 0 — invalid ties the hardest valid query for the top
        var a = SelfPlayAdvantages.Compute(Rewards(), null);
        Near([0, -1, -0.5, 0], a.ChallengerReward);
        // A_Ch = V̄ − V: V̄ = (0 + 1 + 1/2 + 0) / 4 = 3/8 → [3/8, −5/8, −1/8, 3/8]
        Near([0.375, -0.625, -0.125, 0.375], a.ChallengerAdvantage);
    }

    [Fact]
    public void With_invalid_query_loss_an_invalid_query_counts_as_fully_solved()
    {
        var rules = new ChallengerRules(InvalidQuery.Loss, Invalid: Invalid);
        // LSP-Zero: invalid V := 1 → C = −1, as low as the easy solved query: [−1, −1, −1/2, 0]
        Near([-1, -1, -0.5, 0], SelfPlayAdvantages.Compute(Rewards(), null, rules: rules).ChallengerReward);
        // LSP at 1/7: invalid −1 + 0 = −1 (now below the easy solved query's 0): [−1, 0, 1/2, 1]
        var lsp = SelfPlayAdvantages.Compute(Rewards(), Quality(1.0 / 7), rules: rules);
        Near([-1, 0, 0.5, 1], lsp.ChallengerReward);
        // the Solver's side is untouched: V and the Solver's advantages are the verifier's
        Near([0, 1, 0.5, 0], lsp.Value);
        Near([0, 0], lsp.SolverAdvantage[0]);
    }
}
