// Whether an extracted answer equals the ground truth, after mathruler's normalisation (restated, not ported): lower
// case, white space, braces and \text / \mathrm wrappers dropped, a trailing period dropped; then equal as strings, or
// equal as numbers (integers, decimals, a/b and \frac{a}{b} fractions, percentages kept as written). A multiple-choice
// ground truth (one letter A–J, bare or as "(B)", "B.", "B)") accepts the same letter written any of those ways, with
// or without the option's text after it ("(B) a cat", "Option B"). The symbolic equality of general expressions that mathruler tries with sympy is out of scope for
// the built-in domain, whose answers are words, letters and numbers.
using System.Globalization;
using System.Text.RegularExpressions;

namespace WebLab.Training.Domains;

public static partial class AnswerGrader
{
    public static bool Equal(string answer, string groundTruth)
    {
        var (a, t) = (Tidy(answer), Tidy(groundTruth));
        if (a.Length == 0) return false;
        if (a.Replace("{", "").Replace("}", "") == t.Replace("{", "").Replace("}", "")) return true;
        if (ChoiceLetter(t) is char truthLetter) return ChoiceLetter(a) == truthLetter;
        return Number(a) is double x && Number(t) is double y && Math.Abs(x - y) <= 1e-9 * Math.Max(1, Math.Abs(y));
    }

    /// <summary>The option letter of a tidied multiple-choice answer ("b", "(b)", "b)", "b:", "optionb", "(b)acat"), or null.</summary>
    public static char? ChoiceLetter(string tidy)
    {
        var m = Choice().Match(tidy);
        return m.Success ? m.Groups["l"].Value[0] : null;
    }

    [GeneratedRegex(@"^(?:option)?\(?(?<l>[a-j])(?:$|[).:](?:.*)$)")]
    private static partial Regex Choice();

    /// <summary>"\text{ Red }." → "red"; "1 000" → "1000"; braces kept (they delimit \frac's parts).</summary>
    static string Tidy(string s)
    {
        s = Space().Replace(Wrapper().Replace(s.Trim(), "$1"), "").ToLowerInvariant();
        return s.EndsWith('.') ? s[..^1] : s;
    }

    static double? Number(string s)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        var f = Fraction().Match(s);
        if (f.Success && double.TryParse(f.Groups["n"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var n)
            && double.TryParse(f.Groups["d"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d != 0)
            return (f.Groups["sign"].Value == "-" ? -n : n) / d;
        return null;
    }

    [GeneratedRegex(@"\\(?:text|mathrm|textbf)\{([^{}]*)\}")]
    private static partial Regex Wrapper();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    // "3/4", "-3/4", "\frac{3}{4}", "-\frac{12}{5}"
    [GeneratedRegex(@"^(?<sign>-?)(?:(?<n>\d+(?:\.\d+)?)/(?<d>\d+(?:\.\d+)?)|\\frac\{(?<n>\d+(?:\.\d+)?)\}\{(?<d>\d+(?:\.\d+)?)\})$")]
    private static partial Regex Fraction();
}
