// The hard bounds of the TinyTasks language: what the parser accepts and what the levels range over.
// Bounds cap the degenerate maximum-length queries a Challenger can write (note, lesson 3).
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Alphabet, size bounds and level range of TinyTasks instructions.</summary>
public static class TinyTaskLimits
{
    /// <summary>Letters a word may use: 8 letters, small enough for a ~1M-parameter model to learn.</summary>
    public const string Alphabet = "abcdefgh";

    /// <summary>Longest word the parser accepts (level 6 words are 10–12 letters).</summary>
    public const int MaxWordLength = 12;

    /// <summary>Largest number the parser accepts: 6 digits, so <c>add</c> has one level per digit count.</summary>
    public const int MaxNumber = 999_999;

    /// <summary>Fewest numbers in a <c>max</c> list.</summary>
    public const int MinListLength = 2;

    /// <summary>Most numbers in a <c>max</c> list.</summary>
    public const int MaxListLength = 8;

    /// <summary>Longest instruction in characters (the longest valid one, <c>max</c> of 8 six-digit numbers, has 59).</summary>
    public const int MaxInstructionLength = 64;

    /// <summary>Easiest difficulty level.</summary>
    public const int MinLevel = 1;

    /// <summary>Hardest difficulty level.</summary>
    public const int MaxLevel = 6;

    /// <summary>Highest EASY level: levels 1..2 are the base model's SFT distribution (words of 1–3 letters, numbers below 100).</summary>
    public const int EasyMaxLevel = 2;
}
