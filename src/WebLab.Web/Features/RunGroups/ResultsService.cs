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

public sealed class ResultsService(WebLabDb db, WebLab.Training.Experiments.DomainCatalog domains)
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

    /// <summary>What a paired test reads of an evaluation: right answers, or language shortcuts by one judge.</summary>
    public static readonly IReadOnlyList<string> Flags = ["correct", "shortcut_oracle", "shortcut_start_model"];

    /// <summary>An evaluated item's yes/no for <paramref name="flag"/>: a right answer; or a shortcut, a right answer whose
    /// description the judge did not find sufficient (a missing description, judged by neither, is not sufficient).</summary>
    public static bool Flag(string flag, bool correct, bool? oracleSufficient, bool? startModelSufficient) => flag switch
    {
        "shortcut_oracle" => correct && oracleSufficient != true,
        "shortcut_start_model" => correct && startModelSufficient != true,
        _ => correct,
    };

    /// <summary>The evaluation samples of <paramref name="run"/> at <paramref name="step"/> (null: its last evaluation), as
    /// items keyed by question and image with <paramref name="flag"/>'s yes/no, in-distribution splits only (a split the
    /// domain keeps apart, as counter-prior, is left out) unless <paramref name="split"/> names one. Null when the run has
    /// no evaluation at that step.</summary>
    public async Task<(string Label, IReadOnlyList<PairedItem> Items)?> EvaluationAsync(long run, long? step, string flag, string? split, CancellationToken ct = default)
    {
        var experiment = await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == run, ct);
        if (experiment is null) return null;
        var evals = db.Samples.AsNoTracking().Where(s => s.ExperimentId == run && s.Role == WebLab.Training.Experiments.SampleRoles.Eval);
        long? at = step ?? await evals.MaxAsync(s => (long?)s.Step, ct);
        if (at is null) return null;
        var rows = await evals.Where(s => s.Step == at).Select(s => new { s.Prompt, s.Correct, s.ExtraJson }).ToListAsync(ct);
        if (rows.Count == 0) return null;
        var domain = ConfigValues(experiment.ConfigJson).GetValueOrDefault("domain");
        var visual = domains.TryGet(domain ?? "", out var d) ? d as WebLab.Training.Domains.IVisualDomain : null;
        var items = new List<PairedItem>();
        foreach (var r in rows)
        {
            var extra = WebLab.Training.Experiments.SampleExtras.Read<WebLab.Training.Experiments.VisualEvalExtra>(r.ExtraJson);
            var s = extra?.Split;
            if (split is not null ? s != split : s is not null && (visual?.IsApart(s) == true || WebLab.Training.Domains.EvalSplits.IsOutOfDistribution(s))) continue;
            bool correct = r.Correct == true;
            items.Add(new PairedItem(r.Prompt + "\u001f" + extra?.Image, Flag(flag, correct, extra?.OracleSufficient, extra?.StartModelSufficient)));
        }
        return ($"#{run}@{at}", items);
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
