// The sweep grid's points and refusals, and run tags' rules, as pure functions.
using System.Text.Json.Nodes;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Sweeps;

namespace WebLab.Web.Tests.Features.Sweeps;

public sealed class SweepGridTests
{
    static SweepAxis Axis(string option, params JsonNode[] values) => new(option, new JsonArray(values));

    [Fact]
    public void Two_axes_make_their_product_the_first_varying_slowest()
    {
        var (points, errors) = SweepGrid.Points([Axis("learningRate", 1e-4, 3e-4), Axis("seed", 1, 2, 3)]);
        Assert.Empty(errors);
        Assert.Equal(
            ["learningRate=0.0001 seed=1", "learningRate=0.0001 seed=2", "learningRate=0.0001 seed=3",
             "learningRate=0.0003 seed=1", "learningRate=0.0003 seed=2", "learningRate=0.0003 seed=3"],
            points.Select(SweepGrid.Label));
    }

    [Fact]
    public void Bad_grids_are_refused_by_field()
    {
        Assert.Equal(["axes"], SweepGrid.Points([]).Errors.Keys);
        Assert.Equal(["axes"], SweepGrid.Points([Axis("a", 1), Axis("b", 1), Axis("c", 1)]).Errors.Keys);
        Assert.Equal(["axes[1].option"], SweepGrid.Points([Axis("seed", 1), Axis("seed", 2)]).Errors.Keys);
        Assert.Equal(["axes[0].values"], SweepGrid.Points([new SweepAxis("seed", [])]).Errors.Keys);
        Assert.Equal(["axes[0].option"], SweepGrid.Points([new SweepAxis(" ", [1])]).Errors.Keys);
        var tooMany = SweepGrid.Points([Axis("seed", [.. Enumerable.Range(0, 8).Select(i => (JsonNode)i)]), Axis("steps", 1, 2, 3, 4, 5)]);
        Assert.Contains("40 grid points", tooMany.Errors["axes"][0]);
    }

    [Fact]
    public void Tags_are_trimmed_deduplicated_and_checked()
    {
        Assert.Equal(("baseline lr-scan", (string?)null), RunTags.Normalize([" baseline ", "lr-scan", "Baseline", ""]));
        Assert.Equal((null, (string?)null), RunTags.Normalize(null));
        Assert.Contains("only letters", RunTags.Normalize(["<b>x</b>"]).Error);
        Assert.Contains("longer than 32", RunTags.Normalize([new string('a', 33)]).Error);
        Assert.Contains("at most 10 tags", RunTags.Normalize(Enumerable.Range(0, 11).Select(i => $"t{i}")).Error);
        Assert.Equal(["a", "b", "c"], RunTags.Split("a, b c"));
    }
}
