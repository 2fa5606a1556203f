// Tags on a run: short labels (letters, digits, '.', '_', '-', ':'), at most ten, kept in the order given without
// repeats; stored space-separated so that a search for one tag is a LIKE on " tag ".
using System.Text.RegularExpressions;

namespace WebLab.Web.Features.Experiments;

public static partial class RunTags
{
    public const int MaxTags = 10, MaxLength = 32;

    [GeneratedRegex(@"^[A-Za-z0-9._:\-]+$")]
    private static partial Regex Allowed();

    /// <summary>The tags as stored (null for none), or the reason they are refused.</summary>
    public static (string? Stored, string? Error) Normalize(IEnumerable<string?>? tags)
    {
        var list = new List<string>();
        foreach (var raw in tags ?? [])
        {
            var t = raw?.Trim() ?? "";
            if (t.Length == 0) continue;
            if (t.Length > MaxLength) return (null, $"tag '{t[..MaxLength]}…' is longer than {MaxLength} characters");
            if (!Allowed().IsMatch(t)) return (null, $"tag '{t}' may hold only letters, digits and . _ : -");
            if (!list.Contains(t, StringComparer.OrdinalIgnoreCase)) list.Add(t);
        }
        if (list.Count > MaxTags) return (null, $"at most {MaxTags} tags (got {list.Count})");
        return (list.Count == 0 ? null : string.Join(' ', list), null);
    }

    public static IReadOnlyList<string> Of(string? stored) =>
        string.IsNullOrWhiteSpace(stored) ? [] : stored.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Splits what a person typed in a tags box ("a, b c") into tags.</summary>
    public static IEnumerable<string> Split(string? typed) =>
        (typed ?? "").Split([',', ' ', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
