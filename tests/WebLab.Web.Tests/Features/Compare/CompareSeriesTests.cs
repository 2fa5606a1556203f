// Aligning runs for one comparison chart, worked by hand.
using WebLab.Web.Features.Compare;

namespace WebLab.Web.Tests.Features.Compare;

public class CompareSeriesTests
{
    [Fact]
    public void Runs_share_the_union_of_their_steps_with_gaps_where_a_run_has_no_point()
    {
        // run A at steps 1, 2, 4; run B at 2, 3 (given out of order, and step 3 twice: the last value counts)
        var (xs, ys) = CompareSeries.Align([[(1, 1.0), (2, 2.0), (4, 4.0)], [(3, 9.0), (2, 5.0), (3, 7.0)]], smoothing: 0);
        Assert.Equal([1.0, 2.0, 3.0, 4.0], xs);
        Assert.Equal([1.0, 2.0, null, 4.0], ys[0]);
        Assert.Equal([null, 5.0, 7.0, null], ys[1]);
    }

    [Fact]
    public void Each_run_is_smoothed_on_its_own_points()
    {
        // a = 0.5. Run A: 1 → 1; 3 → 0.5·1 + 0.5·3 = 2; 6 → 0.5·2 + 0.5·6 = 4. Run B: 10 → 10; 0 → 5 (its gap at step 2 is skipped).
        var (_, ys) = CompareSeries.Align([[(1, 1.0), (2, 3.0), (3, 6.0)], [(1, 10.0), (3, 0.0)]], smoothing: 0.5);
        Assert.Equal([1.0, 2.0, 4.0], ys[0]);
        Assert.Equal([10.0, null, 5.0], ys[1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => CompareSeries.Align([], 1.0));
    }
}
