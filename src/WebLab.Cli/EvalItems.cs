// Per-item records of a TinyScenes evaluation (`weblab eval --items FILE`), one JSON line an item, and the paired test
// read from them (`weblab eval --paired A1,A2 --with B1,B2 --flag F`): the same test the results view runs on a run's
// evaluation samples (PairedTest, items keyed by question and image, in-distribution unless a split is named), for
// evaluations made after a run ended, e.g. a larger second look at a fresh seed. Pure over lines, tested by hand.
using System.Text.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Methods.VisionSr1;
using WebLab.Web.Features.RunGroups;

namespace WebLab.Cli;

public static class EvalItems
{
    /// <summary>An item's line: its split and key, whether the answer is right and formatted, whether a description is
    /// missing, and the yes/no of each language-shortcut flag, by the results view's rule (ResultsService.Flag).</summary>
    public static string Line(VisionEvaluation.Case c) => new JsonObject
    {
        ["split"] = c.Split,
        ["key"] = c.Item.Question + "\u001f" + c.Item.Image,
        ["correct"] = c.Correct,
        ["formatted"] = c.Formatted,
        ["description_missing"] = c.SeeThink && c.Description is null,
        ["shortcut_oracle"] = ResultsService.Flag("shortcut_oracle", c.Correct, c.OracleSufficient, c.StartModelSufficient),
        ["shortcut_start_model"] = ResultsService.Flag("shortcut_start_model", c.Correct, c.OracleSufficient, c.StartModelSufficient),
        ["states_answer"] = c.StatesAnswer,
    }.ToJsonString();

    /// <summary>
    /// One evaluation's items for a paired test: <paramref name="flag"/>'s yes/no per key; only <paramref name="split"/>
    /// when named, else every split <paramref name="isApart"/> does not keep apart. A line without the flag is an error
    /// naming the file and line.
    /// </summary>
    public static IReadOnlyList<PairedItem> Read(IEnumerable<string> lines, string flag, string? split, Func<string, bool> isApart, string source = "items")
    {
        var items = new List<PairedItem>();
        int n = 0;
        foreach (var line in lines)
        {
            n++;
            if (line.Trim().Length == 0) continue;
            JsonObject o;
            try { o = JsonNode.Parse(line)?.AsObject() ?? throw new JsonException("empty"); }
            catch (Exception e) when (e is JsonException or InvalidOperationException) { throw new CliException($"{source}:{n}: not a JSON object ({e.Message})"); }
            var s = (string?)o["split"] ?? throw new CliException($"{source}:{n}: no \"split\"");
            if (split is not null ? s != split : isApart(s)) continue;
            var key = (string?)o["key"] ?? throw new CliException($"{source}:{n}: no \"key\"");
            var yes = o[flag] is JsonValue v && v.TryGetValue<bool>(out var b) ? b
                : throw new CliException($"{source}:{n}: no yes/no \"{flag}\" (flags: {string.Join(", ", ResultsService.Flags)})");
            items.Add(new PairedItem(key, yes));
        }
        return items;
    }
}
