// Difficulty levels 1..6 per family, and the estimate of a parsed instruction's level (to chart what a Challenger writes).
// Levels rise smoothly (note, lesson 6): one more digit, one or two more letters, one more list item per level.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>
/// Level definitions. Word families (rev, sort, cnt, len, dedup): word length 1–2, 3, 4–5, 6–7, 8–9, 10–12 (from level 3
/// on every word of the level equally likely: <see cref="TinyTaskGenerator.Length"/>).
/// <c>add</c>: the larger operand has <c>level</c> digits. <c>max</c>: <c>level + 1</c> numbers of at most <c>min(level, 3)</c> digits.
/// Levels 1..2 are EASY (<see cref="TinyTaskLimits.EasyMaxLevel"/>): words of 1–3 letters, numbers below 100.
/// </summary>
public static class TinyTaskDifficulty
{
    static readonly (int Min, int Max)[] WordLengths = [(1, 2), (3, 3), (4, 5), (6, 7), (8, 9), (10, 12)];

    /// <summary>Shortest and longest word at <paramref name="level"/>.</summary>
    public static (int Min, int Max) WordLengthRange(int level) => WordLengths[CheckLevel(level) - 1];

    /// <summary>Level of a word of <paramref name="length"/> letters: the first level whose range reaches it (6 beyond).</summary>
    public static int LevelOfWordLength(int length)
    {
        for (var level = TinyTaskLimits.MinLevel; level < TinyTaskLimits.MaxLevel; level++)
            if (length <= WordLengths[level - 1].Max) return level;
        return TinyTaskLimits.MaxLevel;
    }

    /// <summary>Number of decimal digits of <paramref name="n"/> ≥ 0 (0 has one).</summary>
    public static int Digits(int n) => n < 10 ? 1 : 1 + Digits(n / 10);

    /// <summary>Smallest and largest number with exactly <paramref name="digits"/> digits: 1 → (0, 9), 3 → (100, 999).</summary>
    public static (int Min, int Max) DigitRange(int digits) =>
        (digits == 1 ? 0 : Pow10(digits - 1), Pow10(digits) - 1);

    /// <summary>How many numbers a <c>max</c> list has at <paramref name="level"/>: level + 1 (2..7).</summary>
    public static int ListLength(int level) => CheckLevel(level) + 1;

    /// <summary>Most digits of a <c>max</c> list item at <paramref name="level"/>: min(level, 3).</summary>
    public static int ListDigits(int level) => Math.Min(CheckLevel(level), 3);

    /// <summary>Estimated level 1..6 of <paramref name="task"/>; equals the generating level for generated tasks.</summary>
    public static int Estimate(TinyTask task) => task.Family.Info().Shape switch
    {
        TinyTaskShape.Word => LevelOfWordLength(task.Args[0].Length),
        TinyTaskShape.LetterWord => LevelOfWordLength(task.Args[1].Length),
        TinyTaskShape.NumberPair => Clamp(task.Args.Max(a => a.Length)),
        _ => Clamp(Math.Max(task.Args.Count - 1, task.Args.Max(a => a.Length))),
    };

    /// <summary>Throws unless 1 ≤ <paramref name="level"/> ≤ 6; returns it.</summary>
    public static int CheckLevel(int level) =>
        level is >= TinyTaskLimits.MinLevel and <= TinyTaskLimits.MaxLevel
            ? level
            : throw new ArgumentOutOfRangeException(nameof(level), level, $"level must be {TinyTaskLimits.MinLevel}..{TinyTaskLimits.MaxLevel}");

    static int Clamp(int level) => Math.Clamp(level, TinyTaskLimits.MinLevel, TinyTaskLimits.MaxLevel);

    static int Pow10(int e) => e == 0 ? 1 : 10 * Pow10(e - 1);
}
