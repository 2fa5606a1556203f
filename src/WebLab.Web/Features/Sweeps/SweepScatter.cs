// The sweep's options against its headline, as W&B's parameter-importance scatter: one panel per swept option, a point per
// run that has a headline, x the option's value (log scale when every value is positive and they span 10× or more; grid
// order for a value that is not a number), y the headline. Pure: the page draws its SVG from these positions.
using System.Globalization;

namespace WebLab.Web.Features.Sweeps;

/// <summary>One run in a panel: X and Y in [0, 1] (0 = left / bottom), the option's value as the run's name gives it.</summary>
public sealed record ScatterPoint(long RunId, string Value, double Headline, double X, double Y);

/// <summary>One swept option's panel: its points, whether x is logarithmic or categorical, and the headline's range.</summary>
public sealed record ScatterPanel(string Option, IReadOnlyList<ScatterPoint> Points, bool LogX, bool Categorical, double YMin, double YMax);

public static class SweepScatter
{
    /// <summary>
    /// The panels of <paramref name="options"/> over <paramref name="runs"/> (id, grid-point label "lr=0.01 seed=2", headline).
    /// lr ∈ {0.001, 0.01, 0.1} with headlines {0.2, 0.5, 0.4} → log x: 0, 0.5, 1; y: 0, 1, 0.667.
    /// </summary>
    public static List<ScatterPanel> Panels(IEnumerable<string> options, IReadOnlyList<(long Id, string Point, double? Headline)> runs)
    {
        var measured = runs.Where(r => r.Headline is { } h && double.IsFinite(h)).ToList();
        var panels = new List<ScatterPanel>();
        if (measured.Count == 0) return panels;
        var (yMin, yMax) = (measured.Min(r => r.Headline!.Value), measured.Max(r => r.Headline!.Value));
        double Y(double h) => yMax > yMin ? (h - yMin) / (yMax - yMin) : 0.5;
        foreach (var option in options)
        {
            var values = measured.Select(r => (r.Id, Value: ValueOf(r.Point, option), Headline: r.Headline!.Value)).Where(v => v.Value is not null).ToList();
            if (values.Count == 0) continue;
            var numbers = values.Select(v => double.TryParse(v.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : (double?)null).ToList();
            List<ScatterPoint> points;
            bool log = false, categorical = numbers.Any(n => n is null || !double.IsFinite(n.Value));
            if (categorical)
            {
                var order = values.Select(v => v.Value!).Distinct().ToList();           // grid order
                points = [.. values.Select(v => new ScatterPoint(v.Id, v.Value!, v.Headline,
                    order.Count > 1 ? order.IndexOf(v.Value!) / (double)(order.Count - 1) : 0.5, Y(v.Headline)))];
            }
            else
            {
                var xs = numbers.Select(n => n!.Value).ToList();
                log = xs.All(x => x > 0) && xs.Max() / xs.Min() >= 10;
                var t = log ? xs.Select(Math.Log10).ToList() : xs;
                var (lo, hi) = (t.Min(), t.Max());
                points = [.. values.Select((v, k) => new ScatterPoint(v.Id, v.Value!, v.Headline, hi > lo ? (t[k] - lo) / (hi - lo) : 0.5, Y(v.Headline)))];
            }
            panels.Add(new(option, points, log, categorical, yMin, yMax));
        }
        return panels;
    }

    /// <summary>The value of <paramref name="option"/> in a grid-point label ("lr=0.01 seed=2", lr → "0.01"); null when absent.</summary>
    public static string? ValueOf(string point, string option) =>
        point.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).FirstOrDefault(p => p.Length == 2 && p[0] == option)?[1];

    /// <summary>The options a sweep swept, from its axes JSON ([{"option": "lr", "values": […]}, …]).</summary>
    public static List<string> Options(System.Text.Json.Nodes.JsonNode? axes) =>
        axes is System.Text.Json.Nodes.JsonArray a
            ? [.. a.Select(x => (x?["option"] ?? x?["Option"])?.GetValue<string>()?.Trim()).OfType<string>()]
            : [];
}
