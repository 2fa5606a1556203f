// Draws instructions of a chosen family and level from a caller-seeded System.Random.
// Deterministic: the same seed gives the same items (System.Random(seed) is stable; nothing here uses HashCode).
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Generates (instruction, answer, family, level) examples; see <see cref="TinyTaskDifficulty"/> for the levels.</summary>
public static class TinyTaskGenerator
{
    /// <summary>An example at <paramref name="level"/> of a family drawn uniformly.</summary>
    public static TinyTaskExample Generate(Random rng, int level) =>
        Generate(rng, (TinyTaskFamily)rng.Next(TinyTaskFamilies.All.Count), level);

    /// <summary>An example of <paramref name="family"/> at <paramref name="level"/> (1..6).</summary>
    public static TinyTaskExample Generate(Random rng, TinyTaskFamily family, int level)
    {
        TinyTaskDifficulty.CheckLevel(level);
        var task = new TinyTask(family, Arguments(rng, family, level));
        return new TinyTaskExample(task.Instruction, task.Answer, family, level);
    }

    static string[] Arguments(Random rng, TinyTaskFamily family, int level) => family switch
    {
        // dedup draws from 2–4 letters so that repeats (the point of the task) are common at every length.
        TinyTaskFamily.Dedup => [Word(rng, level, poolSize: rng.Next(2, 5))],
        TinyTaskFamily.Cnt => CountArguments(rng, level),
        TinyTaskFamily.Add => AddArguments(rng, level),
        TinyTaskFamily.Max => MaxArguments(rng, level),
        _ => [Word(rng, level, TinyTaskLimits.Alphabet.Length)],
    };

    /// <summary>A word of a length drawn from the level's range, letters from the first <paramref name="poolSize"/> of the alphabet.</summary>
    static string Word(Random rng, int level, int poolSize)
    {
        var (min, max) = TinyTaskDifficulty.WordLengthRange(level);
        var letters = new char[rng.Next(min, max + 1)];
        for (var i = 0; i < letters.Length; i++) letters[i] = TinyTaskLimits.Alphabet[rng.Next(poolSize)];
        return new string(letters);
    }

    /// <summary>The counted letter is taken from the word 3 times in 4, so answers are not mostly 0.</summary>
    static string[] CountArguments(Random rng, int level)
    {
        var word = Word(rng, level, TinyTaskLimits.Alphabet.Length);
        var letter = rng.Next(4) < 3 ? word[rng.Next(word.Length)] : TinyTaskLimits.Alphabet[rng.Next(TinyTaskLimits.Alphabet.Length)];
        return [letter.ToString(), word];
    }

    /// <summary>The larger operand has exactly <c>level</c> digits; the other any number below 10^level; order random.</summary>
    static string[] AddArguments(Random rng, int level)
    {
        var (min, max) = TinyTaskDifficulty.DigitRange(level);
        var big = rng.Next(min, max + 1);
        var other = rng.Next(0, max + 1);
        return rng.Next(2) == 0 ? [Number(big), Number(other)] : [Number(other), Number(big)];
    }

    /// <summary><c>level + 1</c> numbers below 10^min(level, 3).</summary>
    static string[] MaxArguments(Random rng, int level)
    {
        var max = TinyTaskDifficulty.DigitRange(TinyTaskDifficulty.ListDigits(level)).Max;
        return Enumerable.Range(0, TinyTaskDifficulty.ListLength(level)).Select(_ => Number(rng.Next(0, max + 1))).ToArray();
    }

    static string Number(int n) => TinyTaskSolver.Number(n);
}
