// SweepScatter's positions, by hand: log x when the values span 10× or more, linear otherwise, grid order for words; the
// headline's range on y; runs without a headline left out.
using System.Text.Json.Nodes;
using WebLab.Web.Features.Sweeps;

namespace WebLab.Web.Tests.Features.Sweeps;

public class SweepScatterTests
{
    [Fact]
    public void Each_option_is_placed_against_the_headline()
    {
        var runs = new (long, string, double?)[]
        {
            (1, "learningRate=0.001 kl=a", 0.2), (2, "learningRate=0.01 kl=b", 0.5), (3, "learningRate=0.1 kl=a", 0.4), (4, "learningRate=1 kl=b", null),
        };
        var panels = SweepScatter.Panels(["learningRate", "kl"], runs);
        var lr = panels[0];
        Assert.True(lr.LogX);
        Assert.Equal((0.2, 0.5), (lr.YMin, lr.YMax));
        Assert.Equal([1L, 2, 3], lr.Points.Select(p => p.RunId));                      // run 4 has no headline yet
        Assert.Equal([0.0, 0.5, 1.0], lr.Points.Select(p => Math.Round(p.X, 9)));       // log10: −3, −2, −1
        Assert.Equal([0.0, 1.0, 0.666666667], lr.Points.Select(p => Math.Round(p.Y, 9))); // (0.4 − 0.2) / 0.3
        var kl = panels[1];
        Assert.True(kl.Categorical);
        Assert.Equal([0.0, 1.0, 0.0], kl.Points.Select(p => p.X));                       // a, b in grid order

        // linear when the values span under 10×: 2, 3, 4 → 0, 0.5, 1
        var linear = SweepScatter.Panels(["steps"], [(1, "steps=2", 1.0), (2, "steps=3", 2.0), (3, "steps=4", 3.0)])[0];
        Assert.False(linear.LogX);
        Assert.Equal([0.0, 0.5, 1.0], linear.Points.Select(p => p.X));
    }

    [Fact]
    public void The_swept_options_come_from_the_axes_as_stored()
    {
        Assert.Equal(["learningRate", "seed"], SweepScatter.Options(JsonNode.Parse("""[{"Option":"learningRate","Values":[0.1]},{"Option":" seed","Values":[1]}]""")));
        Assert.Equal("0.01", SweepScatter.ValueOf("learningRate=0.01 seed=2", "learningRate"));
        Assert.Null(SweepScatter.ValueOf("learningRate=0.01", "seed"));
    }
}
