// Difficulty made visible (issue 13): the level of what the Challenger writes, and the Solver's reward per level.
// Levels come from the domain (IRlDomain.Level; TinyTasks 1..6); invalid queries have none and are left out.
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.Common;

public static class LevelMetrics
{
    /// <summary>challenger/level_mean and challenger/level/k (each level's share of the valid queries), when any query has a level.
    /// Levels [1, 3, null, 3] → level_mean 7/3, level/1 1/3, level/3 2/3.</summary>
    public static IEnumerable<MetricPoint> Challenger(long step, IReadOnlyList<int?> levels)
    {
        var valid = levels.OfType<int>().ToList();
        if (valid.Count == 0) yield break;
        yield return new(step, MetricNames.ChallengerLevelMean, valid.Average());
        foreach (var g in valid.GroupBy(l => l).OrderBy(g => g.Key))
            yield return new(step, MetricNames.ChallengerLevel(g.Key), g.Count() / (double)valid.Count);
    }

    /// <summary>solver/reward/level_k: the mean reward of every answer to a prompt of level k (prompts without a level left out).
    /// Levels [1, 2, 1], rewards [[1, 0], [0, 0], [1, 1]] → level_1 (1+0+1+1)/4 = 0.75, level_2 0.</summary>
    public static IEnumerable<MetricPoint> SolverReward(long step, IReadOnlyList<int?> levels, IReadOnlyList<double[]> rewards) =>
        levels.Select((l, i) => (Level: l, Rewards: rewards[i])).Where(x => x.Level is not null).GroupBy(x => x.Level!.Value).OrderBy(g => g.Key)
            .Select(g => new MetricPoint(step, MetricNames.SolverRewardLevel(g.Key), g.SelectMany(x => x.Rewards).Average()));
}
