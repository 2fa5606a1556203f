// How the lab draws a metric, which Training does not know: which families are shares of one whole (one stacked chart),
// which are per-split series (one panel of lines), and each metric's sparseness and natural range. The run page's charts
// and Compare read it; the names come from Training's MetricNames.
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Charts;

/// <summary>A metric's drawing: sparse (evaluations) or dense, and its natural range when it has one.</summary>
public sealed record MetricDisplay(bool Sparse, double? Min, double? Max);

public static class ChartDisplay
{
    /// <summary>Families of metrics that are shares of one whole (they sum to 1 at a step): charted as one stacked chart each.</summary>
    public static readonly string[] SharePrefixes = [MetricNames.ChallengerFamilyPrefix, MetricNames.ChallengerLevelPrefix];

    /// <summary>Families of per-split series (eval/win_rate/add, eval/lsr/count, solver/reward/level_3, …): each charted as one
    /// panel of several lines with a legend, not a panel per split.</summary>
    public static readonly string[] SplitFamilies =
    [
        MetricNames.EvalWinRate + "/", MetricNames.EvalAccuracy + "/", MetricNames.EvalLsr + "/", MetricNames.EvalLsrOracle + "/",
        MetricNames.EvalLsrStartModel + "/", MetricNames.SolverRewardLevelPrefix,
    ];

    /// <summary>
    /// How a chart draws a metric: evaluations are sparse (points joined by lines, never smoothed across evaluations);
    /// rates and shares live on 0–1, the quality score on 0–7 (its additive 7-point scale); others are scaled to the data.
    /// </summary>
    public static MetricDisplay Of(string name)
    {
        bool sparse = name.StartsWith("eval/", StringComparison.Ordinal);
        var leaf = name[(name.LastIndexOf('/') + 1)..];
        (double, double)? range =
            name == MetricNames.QualityMean ? (0, 7)
            : name.StartsWith(MetricNames.EvalWinRate, StringComparison.Ordinal) || name.StartsWith(MetricNames.EvalAccuracy, StringComparison.Ordinal)
              || name.StartsWith(MetricNames.EvalLsr, StringComparison.Ordinal) || name == MetricNames.EvalFormat
              || leaf.EndsWith("_frac", StringComparison.Ordinal) || name.StartsWith(MetricNames.ChallengerFamilyPrefix, StringComparison.Ordinal)
              || name.StartsWith(MetricNames.ChallengerLevelPrefix, StringComparison.Ordinal) ? (0, 1)
            : null;
        return new(sparse, range?.Item1, range?.Item2);
    }
}
