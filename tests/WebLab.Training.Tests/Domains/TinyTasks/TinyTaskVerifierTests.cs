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
    [InlineData("sort dcab", "x", 0.0)]              // x≠a: 0 / max(4, 1)
    [InlineData("sort hahb", "abh", 3.0 / 4)]        // expected abhh; a, b, h match: 3 / 4
    [InlineData("dedup abcab", "ab", 2.0 / 3)]       // expected abc; a, b from the left: 2 / 3
    public void Word_answers_earn_left_aligned_matches_over_the_longer_length(string instruction, string answer, double expected) =>
        Assert.Equal(expected, TinyTaskVerifier.PartialCredit(instruction, answer), precision: 12);

    [Theory]
    // len of a 10-letter word, expected 10 (left-aligned, "1" scored 1/2 and "9" nothing)
    [InlineData("len abcdefghab", "1", 0.0)]         // units: 1≠0 → 0 / max(2, 1)
    [InlineData("len abcdefghab", "9", 0.0)]         // 9≠0 → 0 / 2
    [InlineData("len abcdefghab", "11", 1.0 / 2)]    // units 1≠0, tens 1=1 → 1 / 2
    [InlineData("len abcdefghab", "0", 1.0 / 2)]     // units 0=0 → 1 / 2 (the tens are missing)
    // add with expected 1023 (left-aligned, "1" scored 1/4 and "923" nothing)
    [InlineData("add 1000 23", "1", 0.0)]            // 1≠3 → 0 / 4
    [InlineData("add 1000 23", "923", 2.0 / 4)]      // 3=3, 2=2, 9≠0 → 2 / 4
    [InlineData("add 1000 23", "1024", 3.0 / 4)]     // 4≠3, 2=2, 0=0, 1=1 → 3 / 4
    [InlineData("add 1000 23", "10230", 0.0)]        // 0≠3, 3≠2, 2≠0, 0≠1, extra digit → 0 / 5
    [InlineData("add 12 7", "18", 1.0 / 2)]          // 8≠9, 1=1 → 1 / 2
    [InlineData("add 12 7", "190", 0.0)]             // 0≠9, 9≠1 → 0 / 3 (was 2/3 left-aligned: a tenfold error)
    // max with expected 905
    [InlineData("max 905 17 384", "95", 1.0 / 3)]    // 5=5, 9≠0 → 1 / 3
    [InlineData("max 905 17 384", "384", 0.0)]       // 4≠5, 8≠0, 3≠9 → 0 / 3
    [InlineData("max 905 17 384", "805", 2.0 / 3)]   // 5=5, 0=0, 8≠9 → 2 / 3
    [InlineData("cnt a abaca", "13", 1.0 / 2)]       // expected 3: 3=3, extra 1 → 1 / 2
    public void Number_answers_earn_digits_aligned_from_the_right(string instruction, string answer, double expected) =>
        Assert.Equal(expected, TinyTaskVerifier.PartialCredit(instruction, answer), precision: 12);

    [Fact]
    public void Character_overlap_of_two_empty_strings_is_zero() =>
        Assert.Equal(0.0, TinyTaskVerifier.CharacterOverlap("", ""));
}
