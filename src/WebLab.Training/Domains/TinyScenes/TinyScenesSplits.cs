// Training stream and evaluation splits of TinyScenes. A fixed eighth of the (scene, question) space is held out, by a
// well-mixed hash of the description and the question: evaluation draws only from it and training never, so any
// evaluation seed gives items no run has trained on. The splits: one per family at the training prior (in
// distribution), and `counter-prior`, yes/no questions whose answers go against the prior (a model that answers from the
// question alone fails it).
using WebLab.Training.Domains.TinyTasks;

namespace WebLab.Training.Domains.TinyScenes;

public static class TinyScenesSplits
{
    public const string CounterPrior = "counter-prior";
    public const int HeldOutShare = 8, DefaultEvalSeed = 7100001;

    public static bool IsHeldOut(SceneItem item) =>
        TinyTaskHeldOut.Hash(item.Scene.Describe() + "|" + item.Question) % HeldOutShare == 0;

    public static string SplitName(SceneFamily f) => f.ToString().ToLowerInvariant();

    /// <summary>Training items: families in equal shares, at the prior, held-out items skipped.</summary>
    public static SceneItem Training(Random rng, double yesShare = SceneQuestions.DefaultYesShare)
    {
        while (true)
        {
            var item = SceneQuestions.Generate(rng, (SceneFamily)rng.Next(6), yesShare);
            if (!IsHeldOut(item)) return item;
        }
    }

    /// <summary>Evaluation: <paramref name="perSplit"/> held-out items per family, then the counter-prior split.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<SceneItem>> Evaluation(int perSplit, int seed = DefaultEvalSeed,
        double yesShare = SceneQuestions.DefaultYesShare)
    {
        var rng = new Random(seed);
        var splits = new Dictionary<string, IReadOnlyList<SceneItem>>();
        foreach (var f in Enum.GetValues<SceneFamily>()) splits[SplitName(f)] = Draw(rng, perSplit, _ => f, yesShare);
        SceneFamily[] yesNo = [SceneFamily.Exist, SceneFamily.Position, SceneFamily.Compare];
        splits[CounterPrior] = Draw(rng, perSplit, i => yesNo[i % 3], 1 - yesShare);
        return splits;
    }

    static List<SceneItem> Draw(Random rng, int n, Func<int, SceneFamily> family, double yesShare)
    {
        var items = new List<SceneItem>(n);
        var seen = new HashSet<string>();
        for (int attempts = 0; items.Count < n; attempts++)
        {
            if (attempts > 1000 * n + 10_000) throw new InvalidOperationException($"could not draw {n} distinct held-out items");
            var item = SceneQuestions.Generate(rng, family(items.Count), yesShare);
            if (IsHeldOut(item) && seen.Add(item.Scene.Describe() + "|" + item.Question)) items.Add(item);
        }
        return items;
    }
}
