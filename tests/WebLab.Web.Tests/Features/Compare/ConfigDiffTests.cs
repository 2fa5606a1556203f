// Config differences between runs, by hand.
using WebLab.Web.Features.Compare;

namespace WebLab.Web.Tests.Features.Compare;

public class ConfigDiffTests
{
    [Fact]
    public void Only_options_whose_values_differ_are_listed_in_run_order()
    {
        var rows = ConfigDiff.Of([
            """{"steps": 1500, "beta": 0.1, "kl": "K3", "promptSet": ["rev abc", "add 1 2"]}""",
            """{"steps": 1500, "beta": 0.05, "kl": "K3", "promptSet": []}""",
            """{"steps": 1500, "beta": 0.1, "kl": "K3", "queries": 16}""",
        ]);
        // steps and kl are equal in all three; a missing option counts as a difference
        Assert.Equal(["beta", "promptSet", "queries"], rows.Select(r => r.Option));
        Assert.Equal(["0.1", "0.05", "0.1"], rows[0].Values);
        Assert.Equal(["[2 items]", "[0 items]", "–"], rows[1].Values);
        Assert.Equal(["–", "–", "16"], rows[2].Values);
        Assert.Empty(ConfigDiff.Of(["""{"a": 1}""", """{"a": 1}"""]));
        Assert.Empty(ConfigDiff.Of(["not json", "{}"]));
    }
}
