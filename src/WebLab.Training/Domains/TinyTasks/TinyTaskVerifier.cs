// Judges a Solver answer against an instruction: exact-match reward 1/0, and a dense partial-credit score in [0, 1]
// (the note, lesson 2: binary rewards give all-zero groups that teach nothing). Malformed instruction or empty answer → 0.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Exact and partial-credit scoring of answers; answers are compared after trimming surrounding whitespace.</summary>
public static class TinyTaskVerifier
{
    /// <summary>True when <paramref name="instruction"/> is valid and the trimmed answer equals its answer exactly.</summary>
    public static bool IsCorrect(string? instruction, string? answer) =>
        Expected(instruction) is { } expected && (answer?.Trim() ?? "") == expected;

    /// <summary>Exact-match reward: 1 when <see cref="IsCorrect"/>, else 0.</summary>
    public static double Reward(string? instruction, string? answer) => IsCorrect(instruction, answer) ? 1.0 : 0.0;

    /// <summary>
    /// Partial credit in [0, 1]: <see cref="CharacterOverlap"/> of the expected answer and the trimmed answer;
    /// 0 for a malformed instruction or an empty answer; 1 exactly when <see cref="IsCorrect"/>.
    /// </summary>
    public static double PartialCredit(string? instruction, string? answer)
    {
        var given = answer?.Trim() ?? "";
        return Expected(instruction) is { } expected && given.Length > 0 ? CharacterOverlap(expected, given) : 0.0;
    }

    /// <summary>
    /// Position-wise share of matching characters with a length penalty:
    /// <c>#{ i &lt; min(|e|, |a|) : e[i] = a[i] } / max(|e|, |a|)</c>, left-aligned, 0 when both are empty.
    /// Example: expected <c>cba</c>, answer <c>cb</c> → 2/3; <c>cbax</c> → 3/4; <c>abc</c> → 1/3 (only the middle b).
    /// </summary>
    public static double CharacterOverlap(string expected, string answer)
    {
        var longest = Math.Max(expected.Length, answer.Length);
        if (longest == 0) return 0.0;
        var matches = 0;
        for (var i = 0; i < Math.Min(expected.Length, answer.Length); i++)
            if (expected[i] == answer[i]) matches++;
        return (double)matches / longest;
    }

    static string? Expected(string? instruction) => TinyTaskParser.Parse(instruction).Task?.Answer;
}
