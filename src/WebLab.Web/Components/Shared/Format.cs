// Small display helpers shared by the pages.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebLab.Web.Components.Shared;

public static class Format
{
    /// <summary>Time left in whole units, counted down (90 s is "1m 30s left", never "2m 30s" from rounding 1.5 minutes).</summary>
    public static string Eta(double? seconds) =>
        seconds is double s ? Duration((long)Math.Ceiling(Math.Max(0, s))) + " left" : "";   // rounded up as a countdown shows them

    /// <summary>Whole seconds as "42s", "1m 30s" or "2h 05m".</summary>
    public static string Duration(long whole) => whole switch
    {
        < 60 => $"{whole}s",
        < 3600 => $"{whole / 60}m {whole % 60:00}s",
        _ => $"{whole / 3600}h {whole % 3600 / 60:00}m",
    };

    /// <summary>How long a run took (or has taken so far, "…" appended), "" before it started.</summary>
    public static string Duration(DateTimeOffset? started, DateTimeOffset? finished, bool active, DateTimeOffset? now = null)
    {
        if (started is not { } s) return "";
        var end = finished ?? (active ? now ?? DateTimeOffset.UtcNow : (DateTimeOffset?)null);
        if (end is not { } e) return "";
        return Duration((long)Math.Max(0, (e - s).TotalSeconds)) + (finished is null ? " …" : "");
    }

    /// <summary>An option's bound as people read it: 1,000,000 and 2,147,483,647, not 1E+06 and 2.14748E+09; 1e-9; 0.001.</summary>
    public static string Bound(double v) =>
        v == Math.Floor(v) && Math.Abs(v) < 1e15 ? v.ToString("N0", CultureInfo.InvariantCulture)
        : Math.Abs(v) < 1e-3 ? v.ToString("0.#####e-0", CultureInfo.InvariantCulture)
        : v.ToString("G6", CultureInfo.InvariantCulture);

    /// <summary>
    /// A metric or reward in a table: five significant digits (0.33333, 35156), exponent notation below 0.001 and from
    /// 100,000 on (3e-6, 1.235e5) so small values never print as 0. (The charts' hover values switch to exponents at
    /// 10^6 instead, writing 123456 as 123,460; .NET's G5 would write it as 1.2346E+05.)
    /// </summary>
    public static string Value(double? x) => x switch
    {
        null => "",
        0 => "0",
        double v when !double.IsFinite(v) => v.ToString(CultureInfo.InvariantCulture),
        double v when Math.Abs(v) < 1e-3 || Math.Abs(v) >= 1e5 => v.ToString("0.###e-0", CultureInfo.InvariantCulture),
        double v => v.ToString("G5", CultureInfo.InvariantCulture),
    };

    public static double Percent(long step, long total) => total <= 0 ? 0 : Math.Min(100, 100.0 * step / total);

    public static string Local(DateTimeOffset? t) => t?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss") ?? "";

    /// <summary>
    /// A config for reading: arrays longer than <paramref name="maxItems"/> (an imported prompt set) show their first
    /// items and a count of the rest. The stored config, and the API, keep every item.
    /// </summary>
    public static string ConfigForDisplay(string json, int maxItems = 20)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException) { return json; }
        if (root is not JsonObject o) return json;
        foreach (var (key, value) in o.ToList())
            if (value is JsonArray a && a.Count > maxItems)
                o[key] = new JsonArray([.. a.Take(maxItems).Select(x => x?.DeepClone()), JsonValue.Create($"… and {a.Count - maxItems:N0} more ({a.Count:N0} in all)")]);
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
