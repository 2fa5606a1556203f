// A TinyTasks testbed where RL can win (issue 13): a base model trained on levels 1..TrainMaxLevel, evaluated on held-out
// items of that very distribution at the levels where it is imperfect but its own samples often succeed (EvalLevels:
// one split per family), with the levels it never saw as a separate split "ood" that the headline win rate leaves out.
// Held-out items are TinyTaskHeldOut's eighth of the space: SFT of the base, GRPO's prompts and any evaluation seed agree.
// A testbed may keep only some families (Families): its splits, its training prompts and the Challenger's task slot.
namespace WebLab.Training.Domains.TinyTasks;

/// <param name="Id">The domain name (the `domain` option).</param>
/// <param name="BaseFolder">The shipped base model's folder under <c>models/</c> next to the binaries.</param>
/// <param name="TrainMaxLevel">The base was trained on levels 1..this.</param>
/// <param name="EvalLevels">Levels of the in-distribution evaluation items (round-robin within each family split).</param>
/// <param name="Families">The families it judges and trains on; null: all seven.</param>
public sealed record TinyTasksTestbed(string Id, string BaseFolder, int TrainMaxLevel, IReadOnlyList<int> EvalLevels,
    IReadOnlyList<TinyTaskFamily>? Families = null)
{
    /// <summary>The out-of-distribution split's name; <see cref="EvalSplits.IsOutOfDistribution"/> knows it.</summary>
    public const string OodSplit = EvalSplits.OutOfDistribution;

    /// <summary>The frontier testbed: base trained on levels 1–4 (the README gives its headroom), judged on levels 3–4.</summary>
    public static TinyTasksTestbed Frontier { get; } = new("tinytasks-frontier", "tinytasks-frontier-base", 4, [3, 4]);

    /// <summary>
    /// The headroom testbed: the frontier base and levels, only the families where that base's headroom (greedy answer
    /// wrong, one of 8 samples at temperature 1 right) is at least the 15% of items, measured on the base alone
    /// at a selection seed (5000001, 100 items a family) that no result is reported on: sort 23%, cnt 35%, dedup 18%;
    /// rev 8%, len 0% (solved), add 0%, max 1%. The README gives the measurement.
    /// </summary>
    public static TinyTasksTestbed Headroom { get; } = new("tinytasks-headroom", "tinytasks-frontier-base", 4, [3, 4],
        [TinyTaskFamily.Sort, TinyTaskFamily.Cnt, TinyTaskFamily.Dedup]);

    /// <summary>The families of its splits and training data, in the enum's order.</summary>
    public IReadOnlyList<TinyTaskFamilyInfo> FamilyList => [.. TinyTaskFamilies.All.Where(f => Keeps(f.Family))];

    /// <summary>Whether this testbed judges and trains on <paramref name="family"/>.</summary>
    bool Keeps(TinyTaskFamily family) => Families is null || Families.Contains(family);

    /// <summary>Levels above the training range, in the "ood" split.</summary>
    public IReadOnlyList<int> OodLevels => [.. Enumerable.Range(TrainMaxLevel + 1, Math.Max(0, TinyTaskLimits.MaxLevel - TrainMaxLevel))];

    /// <summary>
    /// One split per family with <paramref name="perSplit"/> held-out items at <see cref="EvalLevels"/> (item i at
    /// EvalLevels[i mod count]), seeded <c>seed + family</c>; then "ood" with <paramref name="perSplit"/> items, families
    /// round-robin over <see cref="OodLevels"/>, seeded <c>seed + 7</c>. Same arguments → same items.
    /// </summary>
    public IReadOnlyList<TinyTaskSplit> Evaluation(int perSplit, int seed = TinyTaskSplits.EvaluationSeed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(perSplit);
        var families = FamilyList;
        var splits = families
            .Select(f => TinyTaskSplits.Split(f.Name, seed + (int)f.Family, perSplit,
                (rng, i) => HeldOutItem(rng, f.Family, EvalLevels[i % EvalLevels.Count])))
            .ToList();
        var ood = OodLevels;
        if (ood.Count > 0)
            splits.Add(TinyTaskSplits.Split(OodSplit, seed + TinyTaskFamilies.All.Count, perSplit,
                (rng, i) => HeldOutItem(rng, families[i % families.Count].Family, ood[i / families.Count % ood.Count])));
        return splits;
    }

    /// <summary>A training example: family uniform, level uniform in 1..<paramref name="maxLevel"/>, never a held-out item.</summary>
    public TinyTaskExample TrainingSample(Random rng, int maxLevel) => TinyTaskSplits.TrainingSample(rng, maxLevel, Trainable);

    /// <summary>A training example with its level uniform in <paramref name="minLevel"/>..<paramref name="maxLevel"/>.</summary>
    public TinyTaskExample TrainingSample(Random rng, int minLevel, int maxLevel) => TinyTaskSplits.TrainingSample(rng, minLevel, maxLevel, Trainable);

    /// <summary>A training example at exactly <paramref name="level"/>, never a held-out item.</summary>
    public TinyTaskExample TrainingSampleAt(Random rng, int level) => TinyTaskSplits.TrainingSampleAt(rng, level, Trainable);

    /// <summary>True when <paramref name="instruction"/> is in the held-out share of the space (never trained on).</summary>
    public static bool IsHeldOut(string instruction) =>
        TinyTaskParser.Parse(instruction).Task is { } t && TinyTaskHeldOut.Contains(t.Instruction, t.Level);

    bool Trainable(TinyTaskExample e) => Keeps(e.Family) && !TinyTaskHeldOut.Contains(e.Instruction, e.Level);

    /// <summary>Draws until the item is held out (one in <see cref="TinyTaskHeldOut.Share"/> on average).</summary>
    static TinyTaskExample HeldOutItem(Random rng, TinyTaskFamily family, int level)
    {
        while (true)
        {
            var item = TinyTaskGenerator.Generate(rng, family, level);
            if (TinyTaskHeldOut.Contains(item.Instruction, item.Level)) return item;
        }
    }
}
