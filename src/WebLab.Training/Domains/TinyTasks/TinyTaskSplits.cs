// Fixed-seed held-out evaluation splits (one per family, levels 1..6 in equal shares, plus "easy") and the SFT sampler.
// Overlap policy: levels 1–2 are the training distribution and their space is small (rev has 584 instructions there), so
// held-out items at those levels are in-distribution, not unseen. Items at levels ≥ 3 of the default evaluation are never
// drawn by TrainingSample, whatever its maxLevel. Within a split items are distinct where the level's space allows.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>A named evaluation split.</summary>
/// <param name="Name">A family word (<c>rev</c>, …) or <c>easy</c>.</param>
/// <param name="Items">Its items, in a fixed order.</param>
public sealed record TinyTaskSplit(string Name, IReadOnlyList<TinyTaskExample> Items);

/// <summary>Evaluation splits and the SFT training sampler.</summary>
public static class TinyTaskSplits
{
    /// <summary>Name of the split drawn from the training distribution (levels 1..2, families round-robin).</summary>
    public const string EasySplit = "easy";

    /// <summary>Default items per split: 7 families × 60 = 420 held-out prompts, plus 60 easy ones.</summary>
    public const int DefaultPerSplit = 60;

    /// <summary>Seed of the first evaluation split; split k uses <c>EvaluationSeed + k</c>. Training seeds should stay below it.</summary>
    public const int EvaluationSeed = EvalSplits.DefaultSeed;

    static readonly Lazy<HashSet<string>> HeldOut = new(() =>
        Evaluation().SelectMany(s => s.Items).Where(i => i.Level > TinyTaskLimits.EasyMaxLevel).Select(i => i.Instruction).ToHashSet());

    /// <summary>
    /// One split per family (named by the family word) with <paramref name="perSplit"/> items, item i at level 1 + i mod 6,
    /// then the <see cref="EasySplit"/> split. Same <paramref name="perSplit"/> → same items. Another <paramref name="seed"/>
    /// draws a second set to recheck a result on; only the default seed's items are excluded from training.
    /// </summary>
    public static IReadOnlyList<TinyTaskSplit> Evaluation(int perSplit = DefaultPerSplit, int seed = EvaluationSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSplit);
        var splits = TinyTaskFamilies.All
            .Select(f => Split(f.Name, seed + (int)f.Family, perSplit,
                (rng, i) => TinyTaskGenerator.Generate(rng, f.Family, TinyTaskLimits.MinLevel + i % TinyTaskLimits.MaxLevel)))
            .ToList();
        splits.Add(Split(EasySplit, seed + TinyTaskFamilies.All.Count, perSplit,
            (rng, i) => TinyTaskGenerator.Generate(rng, (TinyTaskFamily)(i % TinyTaskFamilies.All.Count),
                TinyTaskLimits.MinLevel + i / TinyTaskFamilies.All.Count % TinyTaskLimits.EasyMaxLevel)));
        return splits;
    }

    /// <summary>
    /// One SFT example: family uniform, level uniform in 1..<paramref name="maxLevel"/> (default EASY), never a
    /// held-out evaluation item of level ≥ 3.
    /// </summary>
    public static TinyTaskExample TrainingSample(Random rng, int maxLevel = TinyTaskLimits.EasyMaxLevel) => TrainingSample(rng, maxLevel, IsTrainable);

    /// <summary>As <see cref="TrainingSample(Random, int)"/>, redrawing until <paramref name="trainable"/> holds (a testbed's own held-out rule).</summary>
    public static TinyTaskExample TrainingSample(Random rng, int maxLevel, Func<TinyTaskExample, bool> trainable) =>
        TrainingSample(rng, TinyTaskLimits.MinLevel, maxLevel, trainable);

    /// <summary>As above with the level uniform in <paramref name="minLevel"/>..<paramref name="maxLevel"/> (min 1 draws exactly as above).</summary>
    public static TinyTaskExample TrainingSample(Random rng, int minLevel, int maxLevel, Func<TinyTaskExample, bool> trainable)
    {
        TinyTaskDifficulty.CheckLevel(minLevel);
        TinyTaskDifficulty.CheckLevel(maxLevel);
        if (minLevel > maxLevel) throw new ArgumentOutOfRangeException(nameof(minLevel), minLevel, $"minLevel must be at most maxLevel {maxLevel}");
        while (true)
        {
            var example = TinyTaskGenerator.Generate(rng, rng.Next(minLevel, maxLevel + 1));
            if (trainable(example)) return example;
        }
    }

    /// <summary>One training example at exactly <paramref name="level"/>, family uniform, never a held-out evaluation item.</summary>
    public static TinyTaskExample TrainingSampleAt(Random rng, int level) => TrainingSampleAt(rng, level, IsTrainable);

    /// <summary>As <see cref="TrainingSampleAt(Random, int)"/>, redrawing until <paramref name="trainable"/> holds.</summary>
    public static TinyTaskExample TrainingSampleAt(Random rng, int level, Func<TinyTaskExample, bool> trainable)
    {
        TinyTaskDifficulty.CheckLevel(level);
        while (true)
        {
            var example = TinyTaskGenerator.Generate(rng, level);
            if (trainable(example)) return example;
        }
    }

    /// <summary>False only for a held-out evaluation item (level ≥ 3); EASY items are the training distribution.</summary>
    public static bool IsTrainable(TinyTaskExample example) =>
        example.Level <= TinyTaskLimits.EasyMaxLevel || !HeldOut.Value.Contains(example.Instruction);

    /// <summary>True when <paramref name="instruction"/> is a held-out (level ≥ 3) item of the default evaluation.</summary>
    public static bool IsHeldOut(string instruction) => HeldOut.Value.Contains(instruction);

    /// <summary>True when <paramref name="instruction"/> (read as the parser writes it) is a held-out (level ≥ 3) item of the
    /// default evaluation, or of the evaluation at <paramref name="seed"/> with as many items a split as a run may ask for.</summary>
    public static bool IsHeldOut(string instruction, int seed)
    {
        var text = TinyTaskParser.Parse(instruction).Task?.Instruction ?? instruction.Trim();
        return HeldOut.Value.Contains(text) || HeldOutAt.GetOrAdd(seed, s => new(() => Evaluation(MaxPerSplit, s).SelectMany(x => x.Items)
            .Where(i => i.Level > TinyTaskLimits.EasyMaxLevel).Select(i => i.Instruction).ToHashSet())).Value.Contains(text);
    }

    /// <summary>The most items a split may have (the evaluation options' bound).</summary>
    public const int MaxPerSplit = 600;

    static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<HashSet<string>>> HeldOutAt = new();

    /// <summary><paramref name="count"/> items from one seed, redrawing a duplicate up to 50 times (small level spaces may repeat).</summary>
    internal static TinyTaskSplit Split(string name, int seed, int count, Func<Random, int, TinyTaskExample> draw)
    {
        var rng = new Random(seed);
        var seen = new HashSet<string>();
        var items = new List<TinyTaskExample>(count);
        for (var i = 0; i < count; i++)
        {
            var item = draw(rng, i);
            for (var attempt = 0; attempt < 50 && !seen.Add(item.Instruction); attempt++) item = draw(rng, i);
            items.Add(item);
        }
        return new TinyTaskSplit(name, items);
    }
}
