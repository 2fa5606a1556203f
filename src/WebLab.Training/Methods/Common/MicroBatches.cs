// Gradient accumulation: an update over B rows run as micro-batches of m rows, whose result equals one big batch. Each
// micro-batch's loss is a mean over its own rows; weighted by its share of the rows (count / B) and backpropagated in
// turn, the gradients sum to those of the mean over all B rows. Only one micro-batch's activations are alive at a time.
using TorchSharp;

namespace WebLab.Training.Methods.Common;

public static class MicroBatches
{
    /// <summary>The row ranges [Start, Start + Count) of <paramref name="rows"/> rows in micro-batches of
    /// <paramref name="microBatch"/> (0, or at least <paramref name="rows"/>: one batch of all).</summary>
    public static IReadOnlyList<(int Start, int Count)> Of(int rows, int microBatch)
    {
        if (rows <= 0) return [];
        int m = microBatch <= 0 || microBatch >= rows ? rows : microBatch;
        return [.. Enumerable.Range(0, (rows + m - 1) / m).Select(i => (i * m, Math.Min(m, rows - i * m)))];
    }

    /// <summary>
    /// Backpropagates <paramref name="weight"/> × the mean over <paramref name="rows"/> rows of a loss that
    /// <paramref name="lossOf"/> gives for a range as the mean over its own rows, one micro-batch at a time, each in its own
    /// dispose scope (its activations freed once its gradients are in). Returns, per micro-batch, its share of the rows and
    /// what <paramref name="lossOf"/> reported with it, for the caller to weigh its statistics by.
    /// </summary>
    public static List<(double Share, TStats Stats)> Backward<TStats>(int rows, int microBatch, double weight,
        Func<(int Start, int Count), (torch.Tensor Loss, TStats Stats)> lossOf)
    {
        var parts = new List<(double, TStats)>();
        foreach (var range in Of(rows, microBatch))
        {
            using var scope = torch.NewDisposeScope();
            var (loss, stats) = lossOf(range);
            double share = range.Count / (double)rows;
            using var w = (share * weight).ToScalar();                          // explicit: see RmsNorm
            loss.mul(w).backward();
            parts.Add((share, stats));
        }
        return parts;
    }

    /// <summary><paramref name="items"/>[start, start + count) as an array.</summary>
    public static T[] Slice<T>(IReadOnlyList<T> items, (int Start, int Count) range) => [.. items.Skip(range.Start).Take(range.Count)];
}
