// An imported prompt set for GRPO with data: how it is read from a file, and how training draws from it.
// Files: plain text (one prompt per line) or JSON Lines (one object per line with a "prompt" string, TRL's prompt-only
// dataset format). Blank lines are skipped. A file with any bad line is refused whole, with the line numbers at fault:
// nothing is half-imported.
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace WebLab.Training.Methods.Grpo;

/// <summary>Reads a prompt file. Pure: text in, prompts or errors out.</summary>
public static class PromptSetFile
{
    /// <summary>Most prompts one set may hold (the set is stored in the experiment's config).</summary>
    public const int MaxPrompts = 100_000;

    /// <summary>Largest file accepted, in bytes.</summary>
    public const long MaxBytes = 16 * 1024 * 1024;

    /// <param name="Prompts">Trimmed, in file order; empty when <paramref name="Errors"/> is not.</param>
    /// <param name="Errors">"line N: why", at most 20 (then a count of the rest).</param>
    public sealed record Result(IReadOnlyList<string> Prompts, IReadOnlyList<string> Errors);

    /// <summary>
    /// JSON Lines when <paramref name="fileName"/> ends in .jsonl or .json, or when the first non-blank line starts with '{';
    /// plain text otherwise.
    /// </summary>
    public static Result Parse(string text, string fileName = "")
    {
        var lines = text.Split('\n');
        var firstLine = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
        var jsonLines = fileName.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || firstLine?.StartsWith('{') == true;
        var prompts = new List<string>();
        var errors = new List<string>();
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();                                       // also drops the \r of CRLF files
            if (line.Length == 0) continue;
            var (prompt, error) = jsonLines ? FromJsonLine(line) : (line, null);
            if (error is null && prompt!.Any(c => char.IsControl(c) && c != '\t'))
                error = "holds control characters (a binary file?); a prompt is one line of text";
            if (error is not null) errors.Add($"line {i + 1}: {error}");
            else prompts.Add(prompt!);
        }
        if (errors.Count == 0 && prompts.Count == 0) errors.Add("the file holds no prompts");
        if (prompts.Count > MaxPrompts) errors.Add($"{prompts.Count:N0} prompts; at most {MaxPrompts:N0}");
        if (errors.Count > 20) errors = [.. errors.Take(20), $"… and {errors.Count - 20} more"];
        return new(errors.Count == 0 ? prompts : [], errors);
    }

    static (string? Prompt, string? Error) FromJsonLine(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return (null, "expected a JSON object like {\"prompt\": \"rev abc\"}");
            if (!doc.RootElement.TryGetProperty("prompt", out var p)) return (null, "no \"prompt\" field");
            if (p.ValueKind != JsonValueKind.String) return (null, "\"prompt\" must be a string (conversational prompts are not supported)");
            var prompt = p.GetString()!.Trim();
            return prompt.Length == 0 ? (null, "\"prompt\" is empty") : (prompt, null);
        }
        catch (JsonException)
        {
            return (null, "not valid JSON (expected {\"prompt\": \"…\"})");
        }
    }

    /// <summary>A fingerprint of the set (sha256 of the prompts joined by '\n'), logged so a run names its data.</summary>
    public static string Fingerprint(IReadOnlyList<string> prompts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', prompts))));
}

/// <summary>
/// Draws training prompts in shuffled epochs: each prompt once per pass over the set, in a fresh order each pass
/// (as a shuffling data loader does), so a small set is covered evenly rather than by chance.
/// </summary>
public sealed class PromptSet(IReadOnlyList<string> prompts) : Domains.IPromptData
{
    readonly IReadOnlyList<string> prompts = prompts.Count > 0 ? prompts : throw new ArgumentException("a prompt set needs at least one prompt", nameof(prompts));
    int[] order = [];
    int next;

    public int Count => prompts.Count;

    /// <summary>Passes begun so far (1 after the first draw).</summary>
    public int Epoch { get; private set; }

    public string Next(Random rng)
    {
        if (next == order.Length)
        {
            order = [.. Enumerable.Range(0, prompts.Count)];
            rng.Shuffle(order);
            next = 0;
            Epoch++;
        }
        return prompts[order[next++]];
    }
}
