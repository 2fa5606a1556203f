// The final answer of a response: the content of its last \boxed{…}, braces matched (as mathruler's extract_boxed_content).
namespace WebLab.Training.Domains;

public static class Boxed
{
    /// <summary>What mathruler returns for a response without a box; it grades equal to no ground truth but "None".</summary>
    public const string None = "None";

    /// <summary>"\boxed{a} then \boxed{\frac{1}{2}}" → "\frac{1}{2}"; an unclosed last box or none → "None".</summary>
    public static string Last(string text)
    {
        var at = text.LastIndexOf(@"\boxed{", StringComparison.Ordinal);
        if (at < 0) return None;
        var start = at + @"\boxed{".Length;
        for (int i = start, depth = 1; i < text.Length; i++)
        {
            if (text[i] == '{') depth++;
            else if (text[i] == '}' && --depth == 0) return text[start..i];
        }
        return None;
    }
}
