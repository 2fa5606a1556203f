// A rule-based quality signal for Challenger instructions beyond validity (the note, lesson 3): the Challenger games a
// bare validity check with degenerate repetition (`rev cccbcbcbcbcb`). Pragmatic, not principled: one bigram statistic.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Scores how non-degenerate a valid instruction's arguments are.</summary>
public static class TinyTaskQuality
{
    /// <summary>Below this many bigrams the arguments are too short to be degenerate, and score 1.</summary>
    public const int MinBigrams = 5;

    /// <summary>
    /// Bigram diversity in [0, 1] of the argument text (the instruction after the family word, spaces included):
    /// <c>distinct bigrams / bigrams</c>; 1 when there are fewer than <see cref="MinBigrams"/> bigrams; 0 when the instruction is invalid.
    /// Example: <c>rev cccbcbcbcbcb</c> has 11 bigrams of 3 kinds (cc, cb, bc) → 3/11; a random 12-letter word scores about 0.93.
    /// </summary>
    public static double Diversity(string? instruction)
    {
        if (TinyTaskParser.Parse(instruction).Task is not { } task) return 0.0;
        var text = string.Join(' ', task.Args);
        var bigrams = text.Length - 1;
        if (bigrams < MinBigrams) return 1.0;
        var distinct = Enumerable.Range(0, bigrams).Select(i => text.Substring(i, 2)).Distinct().Count();
        return (double)distinct / bigrams;
    }
}
