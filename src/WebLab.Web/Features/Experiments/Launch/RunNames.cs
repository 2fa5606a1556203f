// What a run's name may be, one rule for launch, sweeps, rename and the form: one line of at most 200 characters, with
// no control characters and no bidirectional-override or isolate marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F,
// U+061C), which would make a name display as something other than what it is ("…RTL" shown as "…LTR").
namespace WebLab.Web.Features.Experiments;

public static class RunNames
{
    public const int MaxLength = 200;

    /// <summary>Why <paramref name="name"/> (trimmed) cannot name a run, or null; null and blank are left to the caller.</summary>
    public static string? Check(string? name, int maxLength = MaxLength)
    {
        if (name is null) return null;
        if (name.Length > maxLength) return $"at most {maxLength} characters";
        if (name.Any(char.IsControl)) return "a name is one line of text: no control characters or line breaks";
        if (name.Any(IsBidiControl)) return "no right-to-left or left-to-right override marks (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C): they make a name display as something it is not";
        return null;
    }

    public static bool IsBidiControl(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
