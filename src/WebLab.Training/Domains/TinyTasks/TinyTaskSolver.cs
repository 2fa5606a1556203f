// The reference solver: the one correct answer of a valid TinyTask, computed by a program.
using System.Globalization;

namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Computes the exact answer of a parsed instruction.</summary>
public static class TinyTaskSolver
{
    /// <summary>The answer of <paramref name="task"/>: a word, or a canonical decimal number.</summary>
    public static string Answer(TinyTask task)
    {
        var a = task.Args;
        return task.Family switch
        {
            TinyTaskFamily.Rev => new string(a[0].Reverse().ToArray()),
            TinyTaskFamily.Sort => new string(a[0].Order().ToArray()),
            TinyTaskFamily.Cnt => Number(a[1].Count(c => c == a[0][0])),
            TinyTaskFamily.Len => Number(a[0].Length),
            TinyTaskFamily.Dedup => FirstOccurrences(a[0]),
            TinyTaskFamily.Add => Number(ParseNumber(a[0]) + ParseNumber(a[1])),
            TinyTaskFamily.Max => Number(a.Max(ParseNumber)),
            _ => throw new ArgumentOutOfRangeException(nameof(task), task.Family, "unknown family"),
        };
    }

    /// <summary>Each letter once, in order of first occurrence: <c>abcab → abc</c>.</summary>
    static string FirstOccurrences(string word) => new(word.Where((c, i) => word.IndexOf(c) == i).ToArray());

    internal static int ParseNumber(string s) => int.Parse(s, NumberStyles.None, CultureInfo.InvariantCulture);

    internal static string Number(int n) => n.ToString(CultureInfo.InvariantCulture);
}
