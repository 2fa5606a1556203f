// Reads the finished runs the results view groups: each Succeeded run's grouping values (method, domain, preset and every
// option of its config), its seeds, its W / T / L at its last evaluation (the headline: out-of-distribution splits apart)
// and the last value of each asked-for metric.
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WebLab.Training.Methods.Common;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;

namespace WebLab.Web.Features.RunGroups;

public sealed class ResultsService(WebLabDb db)
{
    /// <summary>Succeeded runs (with <paramref name="tag"/> when given), oldest first.</summary>
    public async Task<IReadOnlyList<RunResult>> RunsAsync(string? tag, IReadOnlyList<string> metrics, CancellationToken ct = default)
    {
        var rows = await db.Experiments.AsNoTracking().Where(e => e.Status == ExperimentStatus.Succeeded).OrderBy(e => e.Id)
            .Select(e => new { e.Id, e.Name, e.Method, e.Preset, e.ConfigJson, e.Tags }).ToListAsync(ct);
        if (!string.IsNullOrWhiteSpace(tag)) rows = [.. rows.Where(r => RunTags.Of(r.Tags).Contains(tag.Trim(), StringComparer.OrdinalIgnoreCase))];
        var ids = rows.Select(r => r.Id).ToList();

        // the last evaluation of each run: its step and the verdicts there
        var verdicts = (await db.Verdicts.AsNoTracking().Where(v => ids.Contains(v.ExperimentId))
                .Select(v => new { v.ExperimentId, v.Step, v.Split, v.Outcome }).ToListAsync(ct))
            .GroupBy(v => v.ExperimentId).ToDictionary(g => g.Key, g =>
            {
                var last = g.Max(v => v.Step);
                var cell = WinRates.Table([.. g.Where(v => v.Step == last).Select(v => (v.Split, v.Outcome))]).Overall;
                return (Step: last, Tally: new WinTally(cell.Wins, cell.Ties, cell.Losses));
            });
        var finals = metrics.Count == 0 ? [] : (await db.MetricPoints.AsNoTracking().Where(m => ids.Contains(m.ExperimentId) && metrics.Contains(m.Name))
                .Select(m => new { m.ExperimentId, m.Name, m.Step, m.Id, m.Value }).ToListAsync(ct))
            .GroupBy(m => (m.ExperimentId, m.Name)).ToDictionary(g => g.Key, g => g.OrderBy(m => m.Step).ThenBy(m => m.Id).Last());

        return [.. rows.Select(r =>
        {
            var values = ConfigValues(r.ConfigJson);
            values[ResultsTable.MethodKey] = r.Method;
            values[ResultsTable.PresetKey] = r.Preset ?? "none";
            var verdict = verdicts.TryGetValue(r.Id, out var v) ? v : ((long Step, WinTally Tally)?)null;
            var own = metrics.Where(m => finals.ContainsKey((r.Id, m))).ToDictionary(m => m, m => finals[(r.Id, m)].Value);
            long step = verdict?.Step ?? (own.Count > 0 ? metrics.Where(own.ContainsKey).Max(m => finals[(r.Id, m)].Step) : 0);
            return new RunResult(r.Id, r.Name, values, Int(values, "seed"), Int(values, "evalSeed"), step, verdict?.Tally, own);
        })];
    }

    /// <summary>Every top-level option of a stored config as text: "domain" → "tinytasks-frontier", "seed" → "2".</summary>
    static Dictionary<string, string> ConfigValues(string json)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (JsonNode.Parse(json) is JsonObject o)
            foreach (var (k, node) in o)
                values[k] = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node?.ToJsonString() ?? "null";
        return values;
    }

    static int? Int(IReadOnlyDictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var s) && int.TryParse(s, out var i) ? i : null;
}
