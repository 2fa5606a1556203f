// A failed run's error in words: the stored error is the exception's full text (type, message, stack); people first need
// its message, on one line, without the type's namespace and the trace.
using System.Text.RegularExpressions;

namespace WebLab.Web.Features.Experiments;

public static partial class RunErrors
{
    /// <summary>"System.ArgumentException: the chat domain needs …" → "the chat domain needs …" (first line only).</summary>
    public static string Summary(string? error)
    {
        if (string.IsNullOrWhiteSpace(error)) return "";
        var first = error.Trim().Split('\n')[0].Trim();
        var m = TypePrefix().Match(first);
        return m.Success ? first[m.Length..].Trim() : first;
    }

    [GeneratedRegex(@"^([A-Za-z_][\w]*\.)*[A-Za-z_]\w*(Exception|Error)(\s*\([^)]*\))?:\s*")]
    private static partial Regex TypePrefix();
}
