// No hand-typed percentages (issue 25): every win rate the README prints beside its W / T / L ("55.2% (50 / 364 / 6" or
// "50 / 364 / 6, 55.2%")
// is that W / T / L's rate, ties counted half, to one decimal (an exact half may print either way).
using System.Text.RegularExpressions;

namespace WebLab.Training.Tests.Docs;

public partial class ReadmeRatesTests
{
    // "55.2% (50 / 364 / 6" and, as the results view prints it, "50 / 364 / 6, 55.2%"
    [GeneratedRegex(@"(?<rate>\d+\.\d)%\*{0,2} \((?<w>\d+) / (?<t>\d+) / (?<l>\d+)|(?<w>\d+) / (?<t>\d+) / (?<l>\d+), (?<rate>\d+\.\d)%")]
    private static partial Regex RateBesideCounts();

    /// <summary>The rate of W / T / L in percent: 100 (W + T/2) / (W + T + L). 50 / 364 / 6 → 55.238…</summary>
    public static decimal RateOf(int w, int t, int l) => 100m * (w + t / 2m) / (w + t + l);

    [Fact]
    public void The_rate_of_a_hand_worked_count() => Assert.Equal(55.238m, Math.Round(RateOf(50, 364, 6), 3));

    [Fact]
    public void Every_rate_the_readme_prints_matches_its_counts()
    {
        var text = File.ReadAllText(Path.Combine(Fixtures.RepoRoot(), "README.md"));
        var matches = RateBesideCounts().Matches(text);
        Assert.True(matches.Count > 50, $"only {matches.Count} rates found: has the README's format changed?");
        var wrong = matches
            .Select(m => (Text: m.Value, Printed: decimal.Parse(m.Groups["rate"].Value, System.Globalization.CultureInfo.InvariantCulture),
                Exact: RateOf(int.Parse(m.Groups["w"].Value), int.Parse(m.Groups["t"].Value), int.Parse(m.Groups["l"].Value))))
            .Where(r => Math.Abs(r.Exact - r.Printed) > 0.05m)
            .Select(r => $"{r.Text} is {r.Exact:0.000}%").ToList();
        Assert.True(wrong.Count == 0, "rates that differ from their counts:\n" + string.Join("\n", wrong));
    }
}
