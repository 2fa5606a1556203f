// Turns a self-play run's logged samples into rounds: one row per challenger query with its G solver answers.
// Both roles' typed extras (Training's ChallengerExtra, SolverExtra) carry the index of the query in the step; answers join on it.
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Features.SelfPlay;

public sealed record SolverAnswer(int Index, string Answer, double? Reward, bool? Exact, double? Quality, double? Advantage, bool? Stopped);

/// <param name="Expected">The domain's reference answer to the query (from its answers' extras; null when it has none).</param>
/// <param name="Refill">A query of a later sampling round that trained the Solver only (samplingRounds &gt; 1).</param>
public sealed record ChallengerQuery(int Index, string Task, string Query, string? Category, bool? Valid,
    double? Value, double? Reward, double? Advantage, IReadOnlyList<SolverAnswer> Answers, string? Expected = null, bool Refill = false);

public static class SelfPlayRounds
{
    public const string ChallengerRole = SampleRoles.Challenger, SolverRole = SampleRoles.Solver, FamilyMetricPrefix = MetricNames.ChallengerFamilyPrefix,
        LevelMetricPrefix = MetricNames.ChallengerLevelPrefix;

    /// <summary>
    /// The share series under <paramref name="prefix"/> (families, or levels), aligned on the union of their steps, a
    /// series absent at a step counting 0 there (the recipe logs only the categories present): the names are the
    /// metric names after the prefix, in ordinal order.
    /// </summary>
    public static (List<long> Steps, List<string> Names, List<List<double>> Values) Shares(
        IReadOnlyDictionary<string, List<MetricDto>> series, string prefix)
    {
        var (xs, names, lines) = Experiments.Tabs.ChartsTab.SplitLines(series, prefix);
        return (xs, names, [.. lines.Select(y => y.Select(v => v ?? 0.0).ToList())]);
    }

    /// <summary>Steps that have challenger samples, ascending.</summary>
    public static List<long> Steps(IEnumerable<SampleDto> samples) =>
        samples.Where(s => s.Role == ChallengerRole).Select(s => s.Step).Distinct().Order().ToList();

    public static IReadOnlyList<ChallengerQuery> At(IEnumerable<SampleDto> samples, long step)
    {
        var atStep = samples.Where(s => s.Step == step).ToList();
        var answers = atStep.Where(s => s.Role == SolverRole).Select(s => (Sample: s, Extra: SampleExtras.Read<SolverExtra>(s.ExtraJson)))
            .ToLookup(a => a.Extra?.Query ?? -1);
        return atStep.Where(s => s.Role == ChallengerRole).Select((s, i) =>
        {
            var x = SampleExtras.Read<ChallengerExtra>(s.ExtraJson);
            var index = x?.Query ?? i;
            return new ChallengerQuery(index, s.Prompt, s.Completion, x?.Category, s.Correct, x?.Value, s.Reward, x?.Advantage,
                answers[index].Select((a, j) => new SolverAnswer(a.Extra?.Answer ?? j, a.Sample.Completion, a.Sample.Reward, a.Sample.Correct,
                    a.Extra?.Quality, a.Extra?.Advantage, a.Extra?.Stopped)).OrderBy(a => a.Index).ToList(),
                answers[index].Select(a => a.Extra?.Expected).FirstOrDefault(e => e is not null), x?.Refill == true);
        }).OrderBy(q => q.Index).ToList();
    }
}
