// ChartsTab.SplitLines aligns a family of per-split series on their steps, by hand.
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Tabs;

namespace WebLab.Web.Tests.Features.Experiments;

public class SplitLinesTests
{
    static MetricDto P(long step, double value) => new(step, step, "m", value, DateTimeOffset.UnixEpoch);

    [Fact]
    public void A_family_is_aligned_on_its_steps_with_gaps_where_a_split_has_no_point()
    {
        var series = new Dictionary<string, List<MetricDto>>
        {
            ["eval/lsr/b"] = [P(10, 0.2)],
            ["eval/lsr/a"] = [P(0, 0.5), P(10, 0.7)],
            ["eval/lsr"] = [P(0, 0.6)],                        // the overall metric is not a split of the family
        };
        var (xs, names, ys) = ChartsTab.SplitLines(series, "eval/lsr/");
        Assert.Equal([0L, 10], xs);
        Assert.Equal(["a", "b"], names);
        Assert.Equal([0.5, 0.7], ys[0]);
        Assert.Equal([null, 0.2], ys[1]);
    }
}
