// Draws instructions of a chosen family and level from a caller-seeded System.Random.
// Deterministic: the same seed gives the same items (System.Random(seed) is stable; nothing here uses HashCode).
// Levels 1–2 (the shipped base's training data) draw as they always have. From level 3 on, where evaluation items are
// held out, a level's words are drawn uniformly (each length weighted by its number of words) and dedup uses the whole
// alphabet: otherwise a level's likeliest items are few (dedup's level 3 had about 200 in effect), and two evaluation
// seeds drew largely the same items (issue 25; `weblab eval --overlap` measures it).
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
        // dedup at levels 1–2 draws from 2–4 letters so that repeats (the point of the task) are common in short words;
        // from level 3 on words are long enough that most repeat a letter anyway (59% of 4-letter words, 79% of 5-letter).
        TinyTaskFamily.Dedup => [level <= TinyTaskLimits.EasyMaxLevel ? Word(rng, level, poolSize: rng.Next(2, 5)) : Word(rng, level, TinyTaskLimits.Alphabet.Length)],
        TinyTaskFamily.Cnt => CountArguments(rng, level),
        TinyTaskFamily.Add => AddArguments(rng, level),
        TinyTaskFamily.Max => MaxArguments(rng, level),
        _ => [Word(rng, level, TinyTaskLimits.Alphabet.Length)],
    };

    /// <summary>A word of a length drawn from the level's range, letters from the first <paramref name="poolSize"/> of the alphabet.</summary>
    static string Word(Random rng, int level, int poolSize)
    {
        var letters = new char[Length(rng, level, poolSize)];
        for (var i = 0; i < letters.Length; i++) letters[i] = TinyTaskLimits.Alphabet[rng.Next(poolSize)];
        return new string(letters);
    }

    /// <summary>
    /// A word length in the level's range: uniform at levels 1–2; from level 3 on, length L with weight poolSize^L (the
    /// number of such words), so every word of the level is equally likely. Level 3 over 8 letters: 4 with 1/9, 5 with 8/9.
    /// </summary>
    public static int Length(Random rng, int level, int poolSize)
    {
        var (min, max) = TinyTaskDifficulty.WordLengthRange(level);
        if (level <= TinyTaskLimits.EasyMaxLevel) return rng.Next(min, max + 1);
        var weights = Enumerable.Range(min, max - min + 1).Select(l => (Length: l, Words: (long)Math.Pow(poolSize, l))).ToList();
        var pick = rng.NextInt64(weights.Sum(w => w.Words));
        foreach (var (length, words) in weights)
            if ((pick -= words) < 0) return length;
        return max;
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
