// Bigram diversity flags degenerate repetitive instructions and leaves short or varied ones at 1.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskQualityTests
{
    [Theory]
    [InlineData("rev cccbcbcbcbcb", 3.0 / 11)]     // 12 letters, 11 bigrams: cc cc cb bc cb bc cb bc cb bc cb → {cc, cb, bc}
    [InlineData("add 111111 222222", 4.0 / 12)]    // "111111 222222": 13 chars, 12 bigrams → {11, "1 ", " 2", 22}
    [InlineData("rev abcdef", 1.0)]                // 5 bigrams, all distinct
    [InlineData("dedup aaa", 1.0)]                 // 2 bigrams < 5: too short to judge
    [InlineData("max 5 5 5 5", 2.0 / 6)]           // "5 5 5 5": 6 bigrams → {"5 ", " 5"}
    [InlineData("rev xyz", 0.0)]                   // invalid
    public void Diversity_is_distinct_bigrams_over_bigrams(string instruction, double expected) =>
        Assert.Equal(expected, TinyTaskQuality.Diversity(instruction), precision: 12);
}
