// The Compare page's summary table, as W&B and MLflow show one: per metric and run, the final value and the best one, each
// with its step; for win rates, each run's W / T / L and sign-test p at its last evaluation. Pure over the points.
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Compare;

public static class CompareSummary
{
    public sealed record Row(string Metric, string Run, long FinalStep, double Final, long BestStep, double Best, bool LowerIsBetter);

    public sealed record Tally(long Step, int Wins, int Ties, int Losses, double SignTestP);

    /// <summary>Whether a smaller value is the better one: losses, KL, shortcut rates, shares of what went wrong.</summary>
    public static bool LowerIsBetter(string metric)
    {
        var leaf = metric[(metric.LastIndexOf('/') + 1)..];
        return metric.StartsWith("loss", StringComparison.Ordinal) || metric.StartsWith("kl", StringComparison.Ordinal)
            || metric.StartsWith(MetricNames.TrainLoss, StringComparison.Ordinal) || metric.StartsWith(MetricNames.EvalLsr, StringComparison.Ordinal)
            || metric == MetricNames.EvalSignTestP || metric is MetricNames.GroupsZeroStdFrac or MetricNames.DescriptionMissingFrac
            or MetricNames.EvalDescriptionMissingFrac or MetricNames.ChallengerHeldOutFrac or MetricNames.QualityUnparsableFrac or MetricNames.EvalLosses
            || leaf == "grad_norm";
    }

    /// <summary>Points in any order (a step logged twice keeps its last value): [(100, 0.5), (200, 0.7), (300, 0.6)] →
    /// final 0.6 at 300, best 0.7 at 200 (or 0.5 at 100 where lower is better).</summary>
    public static Row Of(string metric, string run, IReadOnlyList<(long Step, double Value)> points)
    {
        var last = points.GroupBy(p => p.Step).Select(g => (Step: g.Key, Value: g.Last().Value)).OrderBy(p => p.Step).ToList();
        bool lower = LowerIsBetter(metric);
        var best = lower ? last.MinBy(p => p.Value) : last.MaxBy(p => p.Value);
        return new(metric, run, last[^1].Step, last[^1].Value, best.Step, best.Value, lower);
    }

    /// <summary>The run's eval/wins, eval/ties, eval/losses and eval/sign_test_p at its last evaluation, or null.</summary>
    public static Tally? TallyOf(long run, IReadOnlyDictionary<(long Run, string Metric), List<(long Step, double Value)>> points)
    {
        if (!points.TryGetValue((run, MetricNames.EvalWins), out var wins) || wins.Count == 0) return null;
        var step = wins.Max(p => p.Step);
        double At(string metric) => points.TryGetValue((run, metric), out var l) && l.LastOrDefault(p => p.Step == step) is { } p && l.Any(q => q.Step == step) ? p.Value : double.NaN;
        return new(step, (int)At(MetricNames.EvalWins), (int)At(MetricNames.EvalTies), (int)At(MetricNames.EvalLosses), At(MetricNames.EvalSignTestP));
    }
}
