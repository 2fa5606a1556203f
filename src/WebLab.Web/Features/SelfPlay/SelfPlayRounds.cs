// Turns a self-play run's logged samples into rounds: one row per challenger query with its G solver answers.
// The recipe tags both roles' ExtraJson with "query" (the index of the query in the step); answers join on it.
using System.Text.Json;
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Features.SelfPlay;

public sealed record SolverAnswer(int Index, string Answer, double? Reward, bool? Exact, double? Quality, double? Advantage, bool? Stopped);

public sealed record ChallengerQuery(int Index, string Task, string Query, string? Category, bool? Valid,
    double? Value, double? Reward, double? Advantage, IReadOnlyList<SolverAnswer> Answers);

public static class SelfPlayRounds
{
    public const string ChallengerRole = "challenger", SolverRole = "solver", FamilyMetricPrefix = "challenger/family/",
        LevelMetricPrefix = "challenger/level/";

    /// <summary>
    /// The share series under <paramref name="prefix"/> (families, or levels), aligned on the union of their steps, a
    /// series absent at a step counting 0 there (the recipe logs only the categories present): the names are the
    /// metric names after the prefix, in ordinal order.
    /// </summary>
    public static (List<long> Steps, List<string> Names, List<List<double>> Values) Shares(
        IReadOnlyDictionary<string, List<MetricDto>> series, string prefix)
    {
        var chosen = series.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(kv => kv.Key, StringComparer.Ordinal).ToList();
        var xs = chosen.SelectMany(kv => kv.Value.Select(p => p.Step)).Distinct().Order().ToList();
        var ys = chosen.Select(kv =>
        {
            var byStep = kv.Value.GroupBy(p => p.Step).ToDictionary(g => g.Key, g => g.Last().Value);
            return xs.Select(x => byStep.TryGetValue(x, out var v) ? v : 0.0).ToList();
        }).ToList();
        return (xs, chosen.Select(kv => kv.Key[prefix.Length..]).ToList(), ys);
    }

    /// <summary>Steps that have challenger samples, ascending.</summary>
    public static List<long> Steps(IEnumerable<SampleDto> samples) =>
        samples.Where(s => s.Role == ChallengerRole).Select(s => s.Step).Distinct().Order().ToList();

    public static IReadOnlyList<ChallengerQuery> At(IEnumerable<SampleDto> samples, long step)
    {
        var atStep = samples.Where(s => s.Step == step).ToList();
        var answers = atStep.Where(s => s.Role == SolverRole).Select(s => (Sample: s, Extra: Parse(s.ExtraJson)))
            .ToLookup(a => Int(a.Extra, "query") ?? -1);
        return atStep.Where(s => s.Role == ChallengerRole).Select((s, i) =>
        {
            var x = Parse(s.ExtraJson);
            var index = Int(x, "query") ?? i;
            return new ChallengerQuery(index, s.Prompt, s.Completion, Str(x, "category"), s.Correct, Num(x, "value"), s.Reward, Num(x, "advantage"),
                answers[index].Select((a, j) => new SolverAnswer(Int(a.Extra, "answer") ?? j, a.Sample.Completion, a.Sample.Reward, a.Sample.Correct,
                    Num(a.Extra, "quality"), Num(a.Extra, "advantage"), Bool(a.Extra, "stopped"))).OrderBy(a => a.Index).ToList());
        }).OrderBy(q => q.Index).ToList();
    }

    static JsonElement? Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { using var doc = JsonDocument.Parse(json); return doc.RootElement.Clone(); }
        catch (JsonException) { return null; }
    }

    static JsonElement? Get(JsonElement? x, string name) =>
        x is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    static double? Num(JsonElement? x, string name) => Get(x, name) is { ValueKind: JsonValueKind.Number } v ? v.GetDouble() : null;
    static int? Int(JsonElement? x, string name) => Get(x, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var i) ? i : null;
    static string? Str(JsonElement? x, string name) => Get(x, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;
    static bool? Bool(JsonElement? x, string name) => Get(x, name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } v ? v.GetBoolean() : null;
}
