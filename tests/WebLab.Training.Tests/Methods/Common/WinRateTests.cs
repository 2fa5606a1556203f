// Hand-worked win-rate arithmetic: AlpacaEval's ties-half rate and the sign test on wins against losses.
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Methods.Common;

public class WinRateTests
{
    [Theory]
    [InlineData(0, 0, 0, 0.5)]       // nothing compared
    [InlineData(3, 4, 1, 0.625)]     // (3 + 2) / 8
    [InlineData(0, 10, 0, 0.5)]      // all ties
    [InlineData(0, 1, 3, 0.125)]     // 0.5 / 4
    public void Win_rate_counts_ties_half(int w, int t, int l, double expected) =>
        Assert.Equal(expected, new WinTally(w, t, l).WinRate, 12);

    [Theory]
    [InlineData(5, 0, 0.0625)]             // 2 · 1/32
    [InlineData(0, 5, 0.0625)]             // symmetric
    [InlineData(8, 2, 0.109375)]           // 2 · (1 + 10 + 45) / 1024
    [InlineData(1, 1, 1.0)]                // 2 · (1 + 2) / 4 = 1.5, capped at 1
    [InlineData(0, 0, 1.0)]                // no decisive verdict
    [InlineData(10, 0, 0.001953125)]       // 2 / 1024
    public void Sign_test_matches_the_binomial_tail(int w, int l, double expected) =>
        Assert.Equal(expected, new WinTally(w, 100, l).SignTestP, 9);

    [Fact]
    public void Sign_test_stays_finite_for_thousands_of_verdicts()
    {
        var p = new WinTally(1100, 0, 900).SignTestP;          // z ≈ 4.47 → p ≈ 7.8e-6
        Assert.InRange(p, 5e-6, 1.2e-5);
        Assert.Equal(1.0, new WinTally(1000, 0, 1000).SignTestP, 9);
    }
}
