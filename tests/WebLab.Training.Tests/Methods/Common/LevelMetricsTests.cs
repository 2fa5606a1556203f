// Hand-worked curriculum metrics: the Challenger's level mean and shares over valid queries, the Solver's reward per level.
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Methods.Common;

public class LevelMetricsTests
{
    [Fact]
    public void Challenger_levels_are_averaged_and_shared_over_valid_queries_only()
    {
        // levels [1, 3, invalid, 3]: mean (1 + 3 + 3) / 3 = 7/3; level 1: 1 of 3, level 3: 2 of 3
        var points = LevelMetrics.Challenger(5, [1, 3, null, 3]).ToDictionary(p => p.Name, p => p.Value);
        Assert.Equal(["challenger/level_mean", "challenger/level/1", "challenger/level/3"], points.Keys);
        Assert.Equal(7.0 / 3, points["challenger/level_mean"], 12);
        Assert.Equal(1.0 / 3, points["challenger/level/1"], 12);
        Assert.Equal(2.0 / 3, points["challenger/level/3"], 12);
        Assert.Empty(LevelMetrics.Challenger(5, [null, null]));             // nothing valid: nothing logged
    }

    [Fact]
    public void Solver_reward_is_averaged_over_every_answer_of_a_level()
    {
        // level 1: answers 1, 0 (query 0) and 1, 1 (query 2) → 3/4; level 2: 0, 0 → 0; the invalid query is left out
        var points = LevelMetrics.SolverReward(9, [1, 2, 1, null], [[1, 0], [0, 0], [1, 1], [0.5, 0.5]]).ToList();
        Assert.Equal(["solver/reward/level_1", "solver/reward/level_2"], points.Select(p => p.Name));
        Assert.Equal([0.75, 0.0], points.Select(p => p.Value));
        Assert.All(points, p => Assert.Equal(9, p.Step));
    }
}
