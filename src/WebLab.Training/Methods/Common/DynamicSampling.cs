// DAPO's dynamic sampling (arXiv 2503.14476), the loop both RL recipes share: round after round of groups is drawn until
// `wanted` groups with a signal (rewards that differ) are kept or the rounds run out. What a round draws and what counts
// as a signal are the recipe's: GRPO keeps its N training groups this way; self-play keeps only refill groups for the
// Solver, after a first round the Challenger's update uses whole (SelfPlayRecipe.Play).
namespace WebLab.Training.Methods.Common;

public static class DynamicSampling
{
    /// <summary>
    /// Rounds <paramref name="from"/> … <paramref name="rounds"/> − 1 while fewer than <paramref name="wanted"/> are kept:
    /// each candidate <paramref name="draw"/> yields for the round is kept, in order, while there is room and it
    /// <paramref name="hasSignal"/>. With <paramref name="keepOneIfNone"/>, the last round keeps its first candidate when
    /// nothing was kept before it, so an update always has a group (its loss is then the KL term alone).
    /// Every candidate of a round is enumerated, kept or not (a recipe counts them all in its metrics).
    /// </summary>
    public static List<T> Keep<T>(int from, int rounds, int wanted, Func<int, IEnumerable<T>> draw, Func<T, bool> hasSignal, bool keepOneIfNone = false)
    {
        var kept = new List<T>(Math.Max(0, wanted));
        for (int round = from; round < rounds && kept.Count < wanted; round++)
        {
            bool last = round == rounds - 1;
            foreach (var c in draw(round))
                if (kept.Count < wanted && (hasSignal(c) || (keepOneIfNone && last && kept.Count == 0))) kept.Add(c);
        }
        return kept;
    }
}
