// Hand-worked level estimates of instructions a Challenger might write, including shapes the generator never makes.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskDifficultyTests
{
    [Theory]
    [InlineData("rev ab", 1)]                 // 2 letters: level 1 is 1–2
    [InlineData("sort abc", 2)]               // 3 letters: level 2
    [InlineData("cnt a abcde", 3)]            // the word counts, not the letter: 5 letters → 4–5
    [InlineData("dedup abcdef", 4)]           // 6 → 6–7
    [InlineData("len abcdefgh", 5)]           // 8 → 8–9
    [InlineData("rev abcdefghab", 6)]         // 10 → 10–12
    [InlineData("add 5 7", 1)]                // larger operand has 1 digit
    [InlineData("add 7 123", 3)]              // 3 digits
    [InlineData("add 999999 0", 6)]           // 6 digits
    [InlineData("max 3 9", 1)]                // max(2 − 1, 1 digit) = 1
    [InlineData("max 1 2 3 4", 3)]            // max(4 − 1, 1) = 3
    [InlineData("max 5 12345", 5)]            // max(1, 5 digits) = 5
    [InlineData("max 1 2 3 4 5 6 7 8", 6)]    // max(7, 1) = 7, clamped to 6
    public void Estimate_follows_the_level_tables(string instruction, int level) =>
        Assert.Equal(level, TinyTaskDifficulty.Estimate(TinyTaskParser.Parse(instruction).Task!));

    [Fact]
    public void Word_length_ranges_rise_without_gaps_from_one_to_twelve()
    {
        var next = 1;
        for (var level = TinyTaskLimits.MinLevel; level <= TinyTaskLimits.MaxLevel; level++)
        {
            var (min, max) = TinyTaskDifficulty.WordLengthRange(level);
            Assert.Equal(next, min);
            next = max + 1;
        }
        Assert.Equal(TinyTaskLimits.MaxWordLength + 1, next);
    }
}
