// The results table (issue 25), as W&B groups runs: finished runs grouped by method, domain and any chosen options across
// their seeds; per run its W / T / L at its final evaluation, then the group's mean, min–max and the pooled sign test
// (wins and losses of every seed summed, ties dropped). Pure: rows in, groups and their Markdown or CSV out, so every
// percentage the README prints is recomputed from W / T / L, never typed.
using System.Globalization;
using System.Text;
using WebLab.Training.Methods.Common;

namespace WebLab.Web.Features.RunGroups;

/// <summary>One finished run: its grouping values (method, domain and every option, as text), its seeds, its final
/// evaluation step, its W / T / L there (null for runs judged without verdicts) and the final values of asked-for metrics.</summary>
public sealed record RunResult(long Id, string Name, IReadOnlyDictionary<string, string> Values, int? Seed, int? EvalSeed, long Step,
    WinTally? Tally, IReadOnlyDictionary<string, double> Metrics)
{
    public string Method => Values.GetValueOrDefault(ResultsTable.MethodKey, "");
    public string Domain => Values.GetValueOrDefault(ResultsTable.DomainKey, "");
}

/// <summary>Mean, smallest and largest of one value over a group's runs.</summary>
public sealed record Spread(double Mean, double Min, double Max)
{
    public static Spread? Of(IReadOnlyCollection<double> x) => x.Count == 0 ? null : new(x.Average(), x.Min(), x.Max());
}

/// <summary>A group: the values it shares (<paramref name="Key"/> in the chosen order), its runs by seed, the spread of their
/// win rates, the pooled tally and its sign-test p, and the spread of each asked-for metric.</summary>
public sealed record ResultGroup(IReadOnlyList<(string Name, string Value)> Key, IReadOnlyList<RunResult> Runs, Spread? WinRate, WinTally? Pooled,
    IReadOnlyDictionary<string, Spread> Metrics)
{
    public string Label => string.Join(" · ", Key.Select(k => k.Name is ResultsTable.MethodKey or ResultsTable.DomainKey ? k.Value : $"{k.Name}={k.Value}"));
    public double? PooledP => Pooled?.SignTestP;
}

public static class ResultsTable
{
    public const string MethodKey = "method", DomainKey = "domain", PresetKey = "preset";

    /// <summary>What runs are grouped by when nothing is chosen.</summary>
    public static readonly IReadOnlyList<string> DefaultGroup = [MethodKey, DomainKey, PresetKey];

    /// <summary>Groups <paramref name="runs"/> by the values of <paramref name="by"/> (a run without one groups as "–"), groups
    /// in the order their first run comes, runs within a group by seed.</summary>
    public static IReadOnlyList<ResultGroup> Group(IEnumerable<RunResult> runs, IReadOnlyList<string> by, IReadOnlyList<string>? metrics = null) =>
        [.. runs.GroupBy(r => string.Join('\u001f', by.Select(k => r.Values.GetValueOrDefault(k, "–"))))
            .Select(g =>
            {
                var members = g.OrderBy(r => r.Seed ?? int.MaxValue).ThenBy(r => r.Id).ToList();
                var tallies = members.Where(r => r.Tally is not null).Select(r => r.Tally!).ToList();
                WinTally? pooled = tallies.Count == 0 ? null : new(tallies.Sum(t => t.Wins), tallies.Sum(t => t.Ties), tallies.Sum(t => t.Losses));
                var spreads = (metrics ?? []).Select(m => (m, Spread.Of([.. members.Where(r => r.Metrics.ContainsKey(m)).Select(r => r.Metrics[m])])))
                    .Where(x => x.Item2 is not null).ToDictionary(x => x.m, x => x.Item2!);
                return new ResultGroup([.. by.Select(k => (k, members[0].Values.GetValueOrDefault(k, "–")))], members,
                    Spread.Of([.. tallies.Select(t => t.WinRate)]), pooled, spreads);
            })];

    /// <summary>A percentage with one decimal, computed here: 0.6152 → "61.5%".</summary>
    public static string Percent(double share) => (100 * share).ToString("F1", CultureInfo.InvariantCulture) + "%";

    /// <summary>A p-value readably: 0.0312 → "0.031", 2.3e-12 → "2e-12".</summary>
    public static string P(double p) => p >= 0.001 ? p.ToString("0.###", CultureInfo.InvariantCulture) : p.ToString("0e0", CultureInfo.InvariantCulture);

    static string Tally(WinTally t) => $"{t.Wins} / {t.Ties} / {t.Losses}";

    static string Num(double x) => x.ToString("0.####", CultureInfo.InvariantCulture);

    /// <summary>One row per group: its key, each seed's W / T / L (seed and evaluation seed named), the mean win rate,
    /// its min–max, the pooled W / T / L and p, then mean (min–max) of each asked-for metric.</summary>
    public static string Markdown(IReadOnlyList<ResultGroup> groups, IReadOnlyList<string>? metrics = null)
    {
        metrics ??= [];
        if (groups.Count == 0) return "(no finished runs match)";
        var seeds = groups.Max(g => g.Runs.Count);
        var sb = new StringBuilder();
        sb.Append("| group | ").Append(string.Concat(Enumerable.Range(1, seeds).Select(i => $"run {i}: W / T / L (seed, eval seed) | ")))
          .Append("mean win rate | min–max | pooled W / T / L | pooled p |").Append(string.Concat(metrics.Select(m => $" {m} |"))).Append('\n');
        sb.Append("|---|").Append(string.Concat(Enumerable.Repeat("---|", seeds + 4 + metrics.Count))).Append('\n');
        foreach (var g in groups)
        {
            sb.Append($"| {g.Label} | ");
            for (int i = 0; i < seeds; i++)
                sb.Append(i < g.Runs.Count ? RunCell(g.Runs[i]) : "").Append(" | ");
            sb.Append(g.WinRate is { } w ? $"{Percent(w.Mean)} | {Percent(w.Min)}–{Percent(w.Max)} | " : "– | – | ");
            sb.Append(g.Pooled is { } p ? $"{Tally(p)} | {P(p.SignTestP)} |" : "– | – |");
            foreach (var m in metrics)
                sb.Append(g.Metrics.TryGetValue(m, out var s) ? $" {Num(s.Mean)} ({Num(s.Min)}–{Num(s.Max)}) |" : " – |");
            sb.Append('\n');
        }
        return sb.ToString().TrimEnd('\n');
    }

    static string RunCell(RunResult r) =>
        (r.Tally is { } t ? $"{Tally(t)}, {Percent(t.WinRate)}" : "–") + $" ({r.Seed?.ToString(CultureInfo.InvariantCulture) ?? "–"}, {r.EvalSeed?.ToString(CultureInfo.InvariantCulture) ?? "–"})";

    /// <summary>One row per run with its group's summary repeated (for a spreadsheet); RFC 4180 quoting.</summary>
    public static string Csv(IReadOnlyList<ResultGroup> groups, IReadOnlyList<string>? metrics = null)
    {
        metrics ??= [];
        var sb = new StringBuilder("group,run_id,run_name,seed,eval_seed,step,wins,ties,losses,win_rate,sign_test_p,group_mean_win_rate,group_min_win_rate,group_max_win_rate,pooled_wins,pooled_ties,pooled_losses,pooled_p");
        foreach (var m in metrics) sb.Append(',').Append(Quote(m));
        sb.Append("\r\n");
        foreach (var g in groups)
            foreach (var r in g.Runs)
            {
                string[] cells =
                [
                    Quote(g.Label), r.Id.ToString(CultureInfo.InvariantCulture), Quote(r.Name), r.Seed?.ToString(CultureInfo.InvariantCulture) ?? "",
                    r.EvalSeed?.ToString(CultureInfo.InvariantCulture) ?? "", r.Step.ToString(CultureInfo.InvariantCulture),
                    r.Tally?.Wins.ToString(CultureInfo.InvariantCulture) ?? "", r.Tally?.Ties.ToString(CultureInfo.InvariantCulture) ?? "",
                    r.Tally?.Losses.ToString(CultureInfo.InvariantCulture) ?? "", r.Tally is { } t ? Num(t.WinRate) : "", r.Tally is { } t2 ? t2.SignTestP.ToString("R", CultureInfo.InvariantCulture) : "",
                    g.WinRate is { } w ? Num(w.Mean) : "", g.WinRate is { } w1 ? Num(w1.Min) : "", g.WinRate is { } w2 ? Num(w2.Max) : "",
                    g.Pooled?.Wins.ToString(CultureInfo.InvariantCulture) ?? "", g.Pooled?.Ties.ToString(CultureInfo.InvariantCulture) ?? "",
                    g.Pooled?.Losses.ToString(CultureInfo.InvariantCulture) ?? "", g.PooledP?.ToString("R", CultureInfo.InvariantCulture) ?? "",
                    .. metrics.Select(m => r.Metrics.TryGetValue(m, out var v) ? v.ToString("R", CultureInfo.InvariantCulture) : ""),
                ];
                sb.Append(string.Join(',', cells)).Append("\r\n");
            }
        return sb.ToString();
    }

    static string Quote(string s) => s.IndexOfAny([',', '"', '\r', '\n']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";
}
