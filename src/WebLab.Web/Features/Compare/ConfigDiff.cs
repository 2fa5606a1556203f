// What differs between runs' configs, for the Compare page: one row per option whose values are not all equal
// (an option a run lacks counts as a difference: another method, or an older version of it).
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebLab.Web.Features.Compare;

public static class ConfigDiff
{
    /// <summary>One option and its value in each run, in the runs' order ("–" where a run has no such option).</summary>
    public sealed record Row(string Option, IReadOnlyList<string> Values);

    public static IReadOnlyList<Row> Of(IReadOnlyList<string> configsJson)
    {
        var configs = configsJson.Select(Parse).ToList();
        return [.. configs.SelectMany(c => c.Select(kv => kv.Key)).Distinct().Order(StringComparer.Ordinal)
            .Where(key => configs.Select(c => c[key]).Distinct(new NodeEquality()).Count() > 1)
            .Select(key => new Row(key, [.. configs.Select(c => c.ContainsKey(key) ? Show(c[key]) : "–")]))];
    }

    static JsonObject Parse(string json)
    {
        try { return JsonNode.Parse(json) as JsonObject ?? []; }
        catch (JsonException) { return []; }
    }

    /// <summary>Short text of a value: arrays (an imported prompt set) by their length.</summary>
    static string Show(JsonNode? v) => v switch
    {
        null => "null",
        JsonArray a => $"[{a.Count} items]",
        JsonValue x when x.TryGetValue<string>(out var s) => s,
        _ => v.ToJsonString(),
    };

    sealed class NodeEquality : IEqualityComparer<JsonNode?>
    {
        public bool Equals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);
        public int GetHashCode(JsonNode? n) => n?.ToJsonString().GetHashCode() ?? 0;
    }
}
