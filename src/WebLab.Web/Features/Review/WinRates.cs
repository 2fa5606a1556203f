// Win-rate arithmetic over judge verdicts (LSP paper's table: one row per method, one column per split + Overall),
// and judge–reviewer agreement. Pure functions; EvaluationService feeds them rows.
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Review;

/// <summary>Wins, ties and losses of the trained model against the base; ties count half: (W + T/2) / n.</summary>
public sealed record WinRateCell(int Wins, int Ties, int Losses)
{
    public int Count => Wins + Ties + Losses;
    public double? WinRate => Count == 0 ? null : (Wins + Ties / 2.0) / Count;
    /// <summary>Two-sided sign test of wins against losses: how likely a split this uneven is between equal models.</summary>
    public double SignTestP => new WebLab.Training.Methods.Common.WinTally(Wins, Ties, Losses).SignTestP;
}

/// <summary>One table row: a label (the experiment), the evaluation step, a cell per split and the Overall cell.</summary>
public sealed record WinRateRow(long ExperimentId, string Label, long Step, IReadOnlyDictionary<string, WinRateCell> Splits, WinRateCell Overall);

/// <summary>One evaluation step of one experiment, for the REST API.</summary>
public sealed record WinRateStep(long Step, IReadOnlyDictionary<string, WinRateCell> Splits, WinRateCell Overall);

/// <summary>Counts of each review status; Share = agree / reviewed (null when nothing is reviewed yet).</summary>
/// <summary>Judge–reviewer agreement. "Unsure" says nothing about the judge, so Share is agree / (agree + disagree).</summary>
public sealed record Agreement(int Agree, int Disagree, int Unsure, int Unreviewed)
{
    public int Reviewed => Agree + Disagree + Unsure;
    public int Decided => Agree + Disagree;
    public double? Share => Decided == 0 ? null : Agree / (double)Decided;
}

public static class WinRates
{
    public static WinRateCell Cell(IEnumerable<string> outcomes)
    {
        int w = 0, t = 0, l = 0;
        foreach (var o in outcomes)
            switch (o.ToLowerInvariant())
            {
                case VerdictOutcomes.Win: w++; break;
                case VerdictOutcomes.Tie: t++; break;
                case VerdictOutcomes.Loss: l++; break;
            }
        return new(w, t, l);
    }

    /// <summary>Per-split cells (ordinal split order) and Overall over the verdicts of a single step, the out-of-distribution
    /// split left out of Overall (it is the headline of the training distribution; "ood" has its own cell).</summary>
    public static (IReadOnlyDictionary<string, WinRateCell> Splits, WinRateCell Overall) Table(IReadOnlyCollection<(string Split, string Outcome)> verdicts) =>
        (verdicts.GroupBy(v => v.Split).OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => Cell(g.Select(v => v.Outcome))),
         Cell(verdicts.Where(v => !WebLab.Training.Domains.EvalSplits.IsOutOfDistribution(v.Split)).Select(v => v.Outcome)));

    public static IReadOnlyList<WinRateStep> PerStep(IEnumerable<(long Step, string Split, string Outcome)> verdicts) =>
        verdicts.GroupBy(v => v.Step).OrderBy(g => g.Key).Select(g =>
        {
            var (splits, overall) = Table(g.Select(v => (v.Split, v.Outcome)).ToList());
            return new WinRateStep(g.Key, splits, overall);
        }).ToList();

    /// <summary>The same, from the review states as the DTOs carry them ("agree", "disagree", "unsure", null).</summary>
    public static Agreement AgreementOfStates(IEnumerable<string?> reviews) =>
        Agreement(reviews.Select(r => Enum.TryParse<ReviewStatus>(r, ignoreCase: true, out var s) ? s : (ReviewStatus?)null));

    public static Agreement Agreement(IEnumerable<ReviewStatus?> reviews)
    {
        int a = 0, d = 0, u = 0, none = 0;
        foreach (var r in reviews)
            switch (r)
            {
                case ReviewStatus.Agree: a++; break;
                case ReviewStatus.Disagree: d++; break;
                case ReviewStatus.Unsure: u++; break;
                default: none++; break;
            }
        return new(a, d, u, none);
    }
}
