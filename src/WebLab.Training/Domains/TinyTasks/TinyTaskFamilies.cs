// The seven TinyTasks families: short lowercase instruction forms whose answers a program checks exactly.
// The enum order is the stable family index (splits and seeds depend on it): append, never reorder.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>A TinyTasks instruction family; its instruction word is <see cref="TinyTaskFamilyInfo.Name"/>.</summary>
public enum TinyTaskFamily { Rev, Sort, Cnt, Len, Dedup, Add, Max }

/// <summary>How a family's arguments look after the family word.</summary>
public enum TinyTaskShape
{
    /// <summary>One word over <see cref="TinyTaskLimits.Alphabet"/>: <c>rev abc</c>.</summary>
    Word,
    /// <summary>One letter, then one word: <c>cnt a abca</c>.</summary>
    LetterWord,
    /// <summary>Two decimal numbers: <c>add 12 7</c>.</summary>
    NumberPair,
    /// <summary><see cref="TinyTaskLimits.MinListLength"/> to <see cref="TinyTaskLimits.MaxListLength"/> numbers: <c>max 3 9 4</c>.</summary>
    NumberList,
}

/// <summary>A family as the UI shows it.</summary>
/// <param name="Family">The family.</param>
/// <param name="Name">The instruction word, e.g. <c>rev</c>.</param>
/// <param name="Shape">How its arguments look.</param>
/// <param name="Description">One line for people.</param>
/// <param name="Example">An instruction and its answer, e.g. <c>rev abc → cba</c>.</param>
public sealed record TinyTaskFamilyInfo(TinyTaskFamily Family, string Name, TinyTaskShape Shape, string Description, string Example);

/// <summary>The list of families with names and descriptions.</summary>
public static class TinyTaskFamilies
{
    /// <summary>Every family, indexed by <c>(int)</c><see cref="TinyTaskFamily"/>.</summary>
    public static IReadOnlyList<TinyTaskFamilyInfo> All { get; } =
    [
        new(TinyTaskFamily.Rev, "rev", TinyTaskShape.Word, "reverse the word", "rev abc → cba"),
        new(TinyTaskFamily.Sort, "sort", TinyTaskShape.Word, "sort the letters alphabetically", "sort dcab → abcd"),
        new(TinyTaskFamily.Cnt, "cnt", TinyTaskShape.LetterWord, "count how often the letter occurs in the word", "cnt a abaca → 3"),
        new(TinyTaskFamily.Len, "len", TinyTaskShape.Word, "number of letters in the word", "len bead → 4"),
        new(TinyTaskFamily.Dedup, "dedup", TinyTaskShape.Word, "keep the first occurrence of each letter", "dedup abcab → abc"),
        new(TinyTaskFamily.Add, "add", TinyTaskShape.NumberPair, "sum of two numbers", "add 12 7 → 19"),
        new(TinyTaskFamily.Max, "max", TinyTaskShape.NumberList, "largest number of the list", "max 3 9 4 → 9"),
    ];

    /// <summary>The description of <paramref name="family"/>.</summary>
    public static TinyTaskFamilyInfo Info(this TinyTaskFamily family) => All[(int)family];

    /// <summary>The instruction word of <paramref name="family"/>, e.g. <c>rev</c>.</summary>
    public static string Name(this TinyTaskFamily family) => All[(int)family].Name;

    /// <summary>True when the family's answer is a number (cnt, len, add, max), false when it is a word (rev, sort, dedup).</summary>
    public static bool AnswerIsNumber(this TinyTaskFamily family) =>
        family is TinyTaskFamily.Cnt or TinyTaskFamily.Len or TinyTaskFamily.Add or TinyTaskFamily.Max;

    /// <summary>Looks a family up by its instruction word (exact, lowercase).</summary>
    public static bool TryGetByName(string name, out TinyTaskFamily family)
    {
        var info = All.FirstOrDefault(i => i.Name == name);
        family = info?.Family ?? default;
        return info is not null;
    }
}
