// Evaluation sets for the chat domain: AlpacaEval's JSON (a list) or JSON Lines of {"instruction", "dataset", …} — the
// dataset becoming the split (helpful_base, koala, oasst, selfinstruct, vicuna) — or a plain list, one prompt a line
// (split "default"). Refused whole with the line or item that is wrong. And the way back: verdicts in AlpacaEval's
// annotation format (output_1 the base model's, output_2 the trained one's, preference 1 / 1.5 / 2).
using System.Text.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;

namespace WebLab.Training.Domains.Chat;

public static class EvalSetFile
{
    public const string DefaultSplit = "default";
    /// <summary>Largest file read (AlpacaEval's 805 prompts are 0.3 MB).</summary>
    public const long MaxBytes = 64L << 20;
    public const int MaxInstructionChars = 32_000;

    /// <summary>The prompts of <paramref name="path"/> (.json, .jsonl or .txt), in file order.</summary>
    public static IReadOnlyList<EvalPrompt> Load(string path)
    {
        var file = new FileInfo(path);
        if (!file.Exists) throw new FileNotFoundException($"evaluation set '{path}' not found", path);
        if (file.Length > MaxBytes) throw new InvalidDataException($"evaluation set '{path}' is {file.Length:N0} bytes; the limit is {MaxBytes:N0}");
        return Parse(File.ReadAllText(path), Path.GetExtension(path).ToLowerInvariant(), path);
    }

    public static IReadOnlyList<EvalPrompt> Parse(string text, string extension, string source = "evaluation set")
    {
        var prompts = extension switch
        {
            ".json" => FromJsonArray(text, source),
            ".jsonl" => FromJsonLines(text, source),
            ".txt" => text.Split('\n').Select((l, i) => (Line: i + 1, Text: l.TrimEnd('\r')))
                .Where(l => l.Text.Trim().Length > 0).Select(l => Checked(new EvalPrompt(DefaultSplit, l.Text.Trim()), $"{source}:{l.Line}")).ToList(),
            _ => throw new InvalidDataException($"{source}: '{extension}' is not an evaluation set format (.json, .jsonl or .txt)"),
        };
        if (prompts.Count == 0) throw new InvalidDataException($"{source}: no prompts");
        return prompts;
    }

    static List<EvalPrompt> FromJsonArray(string text, string source)
    {
        JsonNode? root;
        try { root = JsonNode.Parse(text); }
        catch (JsonException ex) { throw new InvalidDataException($"{source}: not valid JSON ({ex.Message})", ex); }
        if (root is not JsonArray items) throw new InvalidDataException($"{source}: expected a JSON list of {{\"instruction\": …}} objects");
        return items.Select((item, i) => Item(item, $"{source} item {i}")).ToList();
    }

    static List<EvalPrompt> FromJsonLines(string text, string source)
    {
        var prompts = new List<EvalPrompt>();
        var lines = text.Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            JsonNode? node;
            try { node = JsonNode.Parse(lines[i]); }
            catch (JsonException ex) { throw new InvalidDataException($"{source}:{i + 1}: not valid JSON ({ex.Message})", ex); }
            prompts.Add(Item(node, $"{source}:{i + 1}"));
        }
        return prompts;
    }

    static EvalPrompt Item(JsonNode? node, string where)
    {
        if (node is not JsonObject o || o["instruction"] is not JsonValue v || v.GetValueKind() != JsonValueKind.String)
            throw new InvalidDataException($"{where}: expected an object with a string \"instruction\"");
        var split = o["dataset"] is JsonValue d && d.GetValueKind() == JsonValueKind.String ? d.GetValue<string>().Trim() : DefaultSplit;
        return Checked(new EvalPrompt(split.Length == 0 ? DefaultSplit : split, v.GetValue<string>()), where);
    }

    static EvalPrompt Checked(EvalPrompt p, string where)
    {
        if (p.Prompt.Trim().Length == 0) throw new InvalidDataException($"{where}: the instruction is empty");
        if (p.Prompt.Length > MaxInstructionChars) throw new InvalidDataException($"{where}: the instruction has {p.Prompt.Length:N0} characters; the limit is {MaxInstructionChars:N0}");
        if (p.Split.Length > 64 || p.Split.Any(c => !(char.IsLetterOrDigit(c) || c is '_' or '-' or '.')))
            throw new InvalidDataException($"{where}: dataset '{p.Split}' is not a split name (letters, digits, _ - . up to 64)");
        return p;
    }

    /// <summary>
    /// AlpacaEval annotations (a JSON list): instruction, dataset, output_1 / generator_1 (the base model), output_2 /
    /// generator_2 (<paramref name="model"/>), annotator, preference (2 = the trained answer preferred, 1 = the base one,
    /// 1.5 = tie) and the judge's rationale as raw_completion.
    /// </summary>
    public static string Annotations(IEnumerable<VerdictRecord> verdicts, string model, string baseModel = "base")
    {
        var list = new JsonArray();
        foreach (var v in verdicts)
            list.Add(new JsonObject
            {
                ["instruction"] = v.Prompt, ["dataset"] = v.Split,
                ["output_1"] = v.BaseAnswer, ["generator_1"] = baseModel,
                ["output_2"] = v.TrainedAnswer, ["generator_2"] = model,
                ["annotator"] = v.Judge,
                ["preference"] = v.Verdict switch { VerdictOutcome.Win => 2.0, VerdictOutcome.Loss => 1.0, _ => 1.5 },
                ["raw_completion"] = v.Rationale, ["step"] = v.Step,
            });
        return list.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
