// The config as the Config tab shows it: long arrays (an imported prompt set) cut to their first items and a count;
// the time left, in whole units counted down; option bounds as people write them; values in tables.
using System.Text.Json.Nodes;
using WebLab.Web.Components.Shared;

namespace WebLab.Web.Tests.Components;

public class FormatTests
{
    [Fact]
    public void Config_for_display_cuts_long_arrays_and_leaves_the_rest()
    {
        var json = new JsonObject { ["steps"] = 60, ["promptSet"] = new JsonArray([.. Enumerable.Range(1, 25).Select(i => JsonValue.Create($"add {i} 1"))]), ["short"] = new JsonArray(1, 2) }.ToJsonString();
        var shown = JsonNode.Parse(Format.ConfigForDisplay(json, maxItems: 3))!.AsObject();
        Assert.Equal(60, (int)shown["steps"]!);
        // 25 items: the first 3, then "… and 22 more (25 in all)"
        Assert.Equal(["add 1 1", "add 2 1", "add 3 1", "… and 22 more (25 in all)"], shown["promptSet"]!.AsArray().Select(x => (string)x!));
        Assert.Equal([1, 2], shown["short"]!.AsArray().Select(x => (int)x!));
        Assert.Equal("not json {", Format.ConfigForDisplay("not json {"));
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData(0.0, "0s left")]
    [InlineData(41.2, "42s left")]
    [InlineData(59.7, "1m 00s left")]
    [InlineData(90.0, "1m 30s left")]       // formatted 90/60 = 1.5 with "0", this read "2m 30s left"
    [InlineData(150.0, "2m 30s left")]
    [InlineData(3599.0, "59m 59s left")]
    [InlineData(5400.0, "1h 30m left")]     // and this "2h 30m left"
    [InlineData(-3.0, "0s left")]
    public void Eta_counts_whole_units(double? seconds, string shown) => Assert.Equal(shown, Format.Eta(seconds));

    [Theory]
    [InlineData(1_000_000.0, "1,000,000")]       // G6 wrote 1E+06
    [InlineData(2147483647.0, "2,147,483,647")]  // and 2.14748E+09
    [InlineData(0.0, "0")]
    [InlineData(1e-9, "1e-9")]
    [InlineData(0.05, "0.05")]
    [InlineData(0.001, "0.001")]
    [InlineData(-2.5, "-2.5")]
    public void Bounds_read_as_written(double bound, string shown) => Assert.Equal(shown, Format.Bound(bound));

    [Theory]
    [InlineData(null, "")]
    [InlineData(0.0, "0")]
    [InlineData(0.3333333333333333, "0.33333")]   // the Samples tab printed all 16 digits
    [InlineData(-0.5, "-0.5")]
    [InlineData(0.0015, "0.0015")]
    [InlineData(0.0004, "4e-4")]                  // "0.###" printed this advantage as 0
    [InlineData(3e-6, "3e-6")]
    [InlineData(35156.2, "35156")]
    [InlineData(123456.0, "1.235e5")]
    public void Values_keep_their_digits_at_every_scale(double? value, string shown) => Assert.Equal(shown, Format.Value(value));
}
