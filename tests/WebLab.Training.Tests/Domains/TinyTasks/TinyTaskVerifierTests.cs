// Exact-match reward and the partial-credit score, with the arithmetic of each hand-worked case in a comment.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskVerifierTests
{
    [Theory]
    [InlineData("rev abc", "cba")]
    [InlineData("rev abc", "  cba\n")]   // surrounding whitespace is trimmed
    [InlineData("add 12 7", "19")]
    public void Correct_answer_earns_reward_one(string instruction, string answer)
    {
        Assert.True(TinyTaskVerifier.IsCorrect(instruction, answer));
        Assert.Equal(1.0, TinyTaskVerifier.Reward(instruction, answer));
        Assert.Equal(1.0, TinyTaskVerifier.PartialCredit(instruction, answer));
    }

    [Theory]
    [InlineData("rev abc", "abc")]
    [InlineData("rev abc", "c b a")]     // inner whitespace is not forgiven
    [InlineData("add 12 7", "019")]
    [InlineData("max 3 9 4", "4")]
    [InlineData("cnt a abaca", "2")]
    public void Wrong_answer_earns_reward_zero(string instruction, string answer) =>
        Assert.Equal(0.0, TinyTaskVerifier.Reward(instruction, answer));

    [Theory]
    [InlineData("foo abc", "cba")]             // unknown family
    [InlineData("rev abc abc", "cbacba")]      // extra argument
    [InlineData("rev xyz", "zyx")]             // letters outside a–h
    [InlineData("rev abcdefghabcde", "edcbahgfedcba")] // word of 13 letters
    [InlineData("add 1000000 1", "1000001")]   // number too large
    [InlineData("", "")]
    public void Malformed_instruction_scores_zero_for_any_answer(string instruction, string answer)
    {
        Assert.Equal(0.0, TinyTaskVerifier.Reward(instruction, answer));
        Assert.Equal(0.0, TinyTaskVerifier.PartialCredit(instruction, answer));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Empty_answer_scores_zero(string? answer)
    {
        Assert.Equal(0.0, TinyTaskVerifier.Reward("rev abc", answer));
        Assert.Equal(0.0, TinyTaskVerifier.PartialCredit("rev abc", answer));
    }

    [Theory]
    [InlineData("rev abc", "cb", 2.0 / 3)]           // c=c, b=b; 2 matches / max(3, 2) = 2/3
    [InlineData("rev abc", "cbax", 3.0 / 4)]         // 3 matches, extra x: 3 / max(3, 4) = 3/4
    [InlineData("rev abc", "abc", 1.0 / 3)]          // a≠c, b=b, c≠a: 1 / 3
    [InlineData("add 12 7", "18", 1.0 / 2)]          // 1=1, 8≠9: 1 / 2
    [InlineData("add 12 7", "190", 2.0 / 3)]         // 1=1, 9=9, extra 0: 2 / max(2, 3)
    [InlineData("sort dcab", "x", 0.0)]              // x≠a: 0 / max(4, 1)
    [InlineData("sort hahb", "abh", 3.0 / 4)]        // expected abhh; a, b, h match: 3 / 4
    public void Partial_credit_is_positionwise_matches_over_longer_length(string instruction, string answer, double expected) =>
        Assert.Equal(expected, TinyTaskVerifier.PartialCredit(instruction, answer), precision: 12);

    [Fact]
    public void Character_overlap_of_two_empty_strings_is_zero() =>
        Assert.Equal(0.0, TinyTaskVerifier.CharacterOverlap("", ""));
}
