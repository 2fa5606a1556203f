// A paired test between two sets of evaluations of the same items (issue 26): side A and side B are lists of (run, step),
// paired in order (seed k of one arm with seed k of the other, or a run's final evaluation with its own step-0 evaluation
// of the start model); within a pair, items are matched by question and image; per item a yes/no (right answer, or a
// language shortcut by one judge); the discordant items of every pair are pooled and put to the exact sign test
// (McNemar's test, pooled over seeds): how likely a split this uneven is if the two sides were alike.
using WebLab.Training.Methods.Common;

namespace WebLab.Web.Features.RunGroups;

/// <summary>One evaluated item of one side: its key (question and image) and its yes/no.</summary>
public sealed record PairedItem(string Key, bool Flag);

/// <param name="Items">Items both sides evaluated.</param>
/// <param name="OnlyA">Items where only A says yes; <paramref name="OnlyB"/>: only B.</param>
/// <param name="ShareA">A's share of yes over those items; <paramref name="ShareB"/>: B's.</param>
public sealed record PairedCount(string A, string B, int Items, int OnlyA, int OnlyB, double ShareA, double ShareB);

public sealed record PairedResult(IReadOnlyList<PairedCount> Pairs, int OnlyA, int OnlyB, double SignTestP)
{
    public int Items => Pairs.Sum(p => p.Items);
    /// <summary>Pooled shares over every paired item: how often A (and B) says yes.</summary>
    public double ShareA => Items == 0 ? 0 : Pairs.Sum(p => p.ShareA * p.Items) / Items;
    public double ShareB => Items == 0 ? 0 : Pairs.Sum(p => p.ShareB * p.Items) / Items;
}

public static class PairedTest
{
    /// <summary>
    /// A: [x1 yes, x2 yes, x3 no], B: [x1 yes, x2 no, x3 yes, x4 yes] → items x1–x3 (x4 is B's alone), only A: x2,
    /// only B: x3; pooled over pairs, p = the two-sided sign test of OnlyA against OnlyB.
    /// </summary>
    public static PairedResult Of(IReadOnlyList<(string Label, IReadOnlyList<PairedItem> Items)> a, IReadOnlyList<(string Label, IReadOnlyList<PairedItem> Items)> b)
    {
        if (a.Count != b.Count) throw new ArgumentException($"side A has {a.Count} evaluations and side B {b.Count}; they pair in order");
        var pairs = a.Zip(b, (x, y) =>
        {
            var other = y.Items.GroupBy(i => i.Key).ToDictionary(g => g.Key, g => g.First().Flag);
            var both = x.Items.GroupBy(i => i.Key).Select(g => g.First()).Where(i => other.ContainsKey(i.Key)).Select(i => (A: i.Flag, B: other[i.Key])).ToList();
            return new PairedCount(x.Label, y.Label, both.Count, both.Count(p => p.A && !p.B), both.Count(p => !p.A && p.B),
                both.Count == 0 ? 0 : both.Average(p => p.A ? 1.0 : 0.0), both.Count == 0 ? 0 : both.Average(p => p.B ? 1.0 : 0.0));
        }).ToList();
        int onlyA = pairs.Sum(p => p.OnlyA), onlyB = pairs.Sum(p => p.OnlyB);
        return new(pairs, onlyA, onlyB, new WinTally(onlyA, 0, onlyB).SignTestP);
    }
}
