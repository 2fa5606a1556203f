// A sweep's grid: one or two options, each with a list of values; the points are their product, in order (the first
// option varies slowest). Pure, so the grid rules have their own tests.
using System.Globalization;
using System.Text.Json.Nodes;

namespace WebLab.Web.Features.Sweeps;

/// <summary>One varied option and its values (JSON values: numbers, strings, booleans, as the option takes).</summary>
public sealed record SweepAxis(string? Option, JsonArray? Values);

public sealed record CreateSweepRequest(string? Name, string? Method, string? Preset, JsonObject? Overrides, SweepAxis[]? Axes,
    string? Notes = null, string[]? Tags = null);

public sealed record SweepResult(Experiments.Records.Sweep? Sweep, IReadOnlyList<Experiments.Records.Experiment> Runs, IDictionary<string, string[]> Errors);

public static class SweepGrid
{
    public const int MaxAxes = 2, MaxPoints = 32;

    /// <summary>The grid points (each an ordered list of option = value), or the errors by field ("axes[i].values", …).</summary>
    public static (List<List<(string Option, JsonNode Value)>> Points, Dictionary<string, string[]> Errors) Points(IReadOnlyList<SweepAxis>? axes)
    {
        var errors = new Dictionary<string, string[]>();
        if (axes is null || axes.Count == 0) { errors["axes"] = ["give one or two options to vary, each with its values"]; return ([], errors); }
        if (axes.Count > MaxAxes) { errors["axes"] = [$"at most {MaxAxes} options may vary (got {axes.Count})"]; return ([], errors); }
        for (int i = 0; i < axes.Count; i++)
        {
            var a = axes[i];
            if (string.IsNullOrWhiteSpace(a.Option)) errors[$"axes[{i}].option"] = ["name the option to vary"];
            else if (axes.Take(i).Any(b => b.Option == a.Option)) errors[$"axes[{i}].option"] = [$"'{a.Option}' is varied twice"];
            if (a.Values is not { Count: > 0 }) errors[$"axes[{i}].values"] = ["give at least one value"];
            else if (a.Values.Any(v => v is null)) errors[$"axes[{i}].values"] = ["a value is null"];
        }
        if (errors.Count > 0) return ([], errors);
        var total = axes.Aggregate(1L, (n, a) => n * a.Values!.Count);
        if (total > MaxPoints) { errors["axes"] = [$"{total} grid points; at most {MaxPoints} runs per sweep"]; return ([], errors); }

        var points = new List<List<(string, JsonNode)>> { new() };
        foreach (var a in axes)
            points = [.. points.SelectMany(p => a.Values!.Select(v => new List<(string, JsonNode)>(p) { (a.Option!.Trim(), v!) }))];
        return (points, errors);
    }

    /// <summary>"learningRate=0.0001 seed=2": how a point names its run.</summary>
    public static string Label(IEnumerable<(string Option, JsonNode Value)> point) =>
        string.Join(' ', point.Select(p => $"{p.Option}={Text(p.Value)}"));

    static string Text(JsonNode v) => v is JsonValue value && value.TryGetValue<double>(out var d)
        ? d.ToString("G6", CultureInfo.InvariantCulture) : v.ToJsonString().Trim('"');
}
