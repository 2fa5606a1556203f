// One metric of several runs on one chart: the union of their steps as x, one y row per run (null where that run has
// no point), each smoothed on its own points with the EMA the experiment page uses: s_t = a·s_{t−1} + (1 − a)·x_t.
namespace WebLab.Web.Features.Compare;

public static class CompareSeries
{
    /// <param name="runs">Per run, its points of one metric in any order; a step logged twice keeps its last value.</param>
    /// <param name="smoothing">a in [0, 1): 0 shows the raw values.</param>
    /// <returns>Xs: sorted distinct steps [S]; Ys: [runs][S], null where the run has no point at that step.</returns>
    public static (double[] Xs, double?[][] Ys) Align(IReadOnlyList<IReadOnlyList<(long Step, double Value)>> runs, double smoothing)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(smoothing);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(smoothing, 1.0);
        var steps = runs.SelectMany(r => r.Select(p => p.Step)).Distinct().Order().ToArray();
        var column = steps.Select((s, i) => (s, i)).ToDictionary(x => x.s, x => x.i);
        var ys = new double?[runs.Count][];
        for (int r = 0; r < runs.Count; r++)
        {
            ys[r] = new double?[steps.Length];
            var last = runs[r].GroupBy(p => p.Step).Select(g => (Step: g.Key, Value: g.Last().Value)).OrderBy(p => p.Step);
            double? ema = null;
            foreach (var (step, value) in last)
            {
                ema = ema is null ? value : smoothing * ema.Value + (1 - smoothing) * value;
                ys[r][column[step]] = ema;
            }
        }
        return ([.. steps.Select(s => (double)s)], ys);
    }
}
