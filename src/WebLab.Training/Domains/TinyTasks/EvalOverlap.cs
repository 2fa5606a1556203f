// How much two evaluation seeds of a TinyTasks domain share: for each seed and split, the largest share of its items that
// one other listed seed's same split also holds. Evidence needs seeds that do not overlap (issue 25): a result rechecked
// "on a fresh seed" is only fresh if that seed's items are new, and every cell of this table should stay under 5%.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>One seed's row: per split, the most items it shares with any one other seed (and which), out of its items.</summary>
public sealed record OverlapRow(int Seed, IReadOnlyDictionary<string, OverlapCell> Splits)
{
    /// <summary>The largest share in the row.</summary>
    public double MaxShare => Splits.Values.Max(c => c.Share);
}

/// <param name="Shared">Items of this split also in <paramref name="With"/>'s same split.</param>
/// <param name="Items">Items of this split at this seed.</param>
/// <param name="With">The other seed sharing most (null when none shares any).</param>
public sealed record OverlapCell(int Shared, int Items, int? With)
{
    public double Share => Items == 0 ? 0 : Shared / (double)Items;
}

public static class EvalOverlap
{
    /// <summary>The overlap table of <paramref name="seeds"/> (at least two, distinct) for <paramref name="splitsAt"/> (a
    /// domain's splits at a seed), splits in the domain's order.</summary>
    public static IReadOnlyList<OverlapRow> Table(Func<int, IReadOnlyList<TinyTaskSplit>> splitsAt, IReadOnlyList<int> seeds)
    {
        if (seeds.Count < 2) throw new ArgumentException("the overlap of seeds needs at least two of them", nameof(seeds));
        if (seeds.Distinct().Count() != seeds.Count) throw new ArgumentException($"seeds repeat: {string.Join(", ", seeds)}", nameof(seeds));
        // seed → split → its distinct instructions
        var sets = seeds.ToDictionary(s => s, s => splitsAt(s).ToDictionary(x => x.Name, x => x.Items.Select(i => i.Instruction).ToHashSet()));
        return [.. seeds.Select(seed => new OverlapRow(seed, sets[seed].ToDictionary(kv => kv.Key, kv =>
        {
            var best = seeds.Where(o => o != seed)
                .Select(o => (Seed: o, Shared: sets[o].TryGetValue(kv.Key, out var other) ? kv.Value.Count(other.Contains) : 0))
                .MaxBy(x => x.Shared);
            return new OverlapCell(best.Shared, kv.Value.Count, best.Shared > 0 ? best.Seed : null);
        })))];
    }

    /// <summary>The table as Markdown: a row per seed, a column per split ("shared / items (with seed)"), then the row's largest share.</summary>
    public static string Markdown(IReadOnlyList<OverlapRow> rows)
    {
        var splits = rows[0].Splits.Keys.ToList();
        var lines = new List<string>
        {
            $"| seed | {string.Join(" | ", splits)} | largest share |",
            $"|---|{string.Concat(splits.Select(_ => "---|"))}---|",
        };
        lines.AddRange(rows.Select(r => $"| {r.Seed} | {string.Join(" | ", splits.Select(s => Cell(r.Splits[s])))} | {Percent(r.MaxShare)} |"));
        return string.Join('\n', lines);
    }

    static string Cell(OverlapCell c) => c.With is { } w ? $"{c.Shared} / {c.Items} ({Percent(c.Share)}, {w})" : $"0 / {c.Items}";

    static string Percent(double share) => (100 * share).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
