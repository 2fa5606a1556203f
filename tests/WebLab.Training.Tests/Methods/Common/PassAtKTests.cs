// pass@k against hand-worked values and against brute-force enumeration of every k-subset.
using WebLab.Training.Methods.Common;
using Xunit;

namespace WebLab.Training.Tests.Methods.Common;

public class PassAtKTests
{
    [Theory]
    [InlineData(4, 1, 2, 0.5)]          // 1 − C(3,2)/C(4,2) = 1 − 3/6
    [InlineData(5, 2, 1, 0.4)]          // k = 1: c / n
    [InlineData(10, 0, 5, 0.0)]         // never right
    [InlineData(10, 6, 5, 1.0)]         // n − c = 4 < k: every 5-subset holds a right one
    [InlineData(6, 2, 3, 0.8)]          // 1 − C(4,3)/C(6,3) = 1 − 4/20
    [InlineData(32, 32, 32, 1.0)]
    public void Matches_hand_worked_values(int n, int c, int k, double expected) =>
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);

    [Fact]
    public void Equals_the_share_of_k_subsets_that_hold_a_right_answer()
    {
        for (int n = 1; n <= 8; n++)
            for (int c = 0; c <= n; c++)
                for (int k = 1; k <= n; k++)
                {
                    int subsets = 0, hits = 0;
                    for (int mask = 0; mask < 1 << n; mask++)
                    {
                        if (System.Numerics.BitOperations.PopCount((uint)mask) != k) continue;
                        subsets++;
                        if ((mask & ((1 << c) - 1)) != 0) hits++;       // samples 0..c−1 are the right ones
                    }
                    Assert.Equal((double)hits / subsets, PassAtK.Estimate(n, c, k), 12);
                }
    }

    [Theory]
    [InlineData(0, 0, 1)]
    [InlineData(4, 1, 5)]
    [InlineData(4, 5, 2)]
    [InlineData(4, -1, 2)]
    public void Rejects_impossible_counts(int n, int c, int k) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(n, c, k));
}
