// Judges a Solver answer against an instruction: exact-match reward 1/0, and a dense partial-credit score in [0, 1]
// (the note, lesson 2: binary rewards give all-zero groups that teach nothing). Malformed instruction or empty answer → 0.
// Partial credit compares words letter by letter from the left and numbers digit by digit from the right (units with
// units), so a number's credit follows its value: left-aligned, `len` of a 10-letter word paid "1" half and "9" nothing.
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
    /// Partial credit in [0, 1] of the trimmed answer: <see cref="DigitOverlap"/> when the family's answer is a number
    /// (cnt, len, add, max), else <see cref="CharacterOverlap"/>; 0 for a malformed instruction or an empty answer;
    /// 1 exactly when <see cref="IsCorrect"/>.
    /// </summary>
    public static double PartialCredit(string? instruction, string? answer)
    {
        var given = answer?.Trim() ?? "";
        if (TinyTaskParser.Parse(instruction).Task is not { } task || given.Length == 0) return 0.0;
        return task.Family.AnswerIsNumber() ? DigitOverlap(task.Answer, given) : CharacterOverlap(task.Answer, given);
    }

    /// <summary>
    /// Digits aligned from the right (units with units, tens with tens), with the same length penalty:
    /// <c>#{ i &lt; min(|e|, |a|) : e[|e|−1−i] = a[|a|−1−i] } / max(|e|, |a|)</c>, 0 when both are empty.
    /// Example: expected <c>1023</c>, answer <c>923</c> → 3=3, 2=2, 9≠0 → 2/4; <c>1</c> → 1≠3 → 0/4.
    /// </summary>
    public static double DigitOverlap(string expected, string answer)
    {
        var longest = Math.Max(expected.Length, answer.Length);
        if (longest == 0) return 0.0;
        var matches = 0;
        for (var i = 0; i < Math.Min(expected.Length, answer.Length); i++)
            if (expected[^(i + 1)] == answer[^(i + 1)]) matches++;
        return (double)matches / longest;
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
