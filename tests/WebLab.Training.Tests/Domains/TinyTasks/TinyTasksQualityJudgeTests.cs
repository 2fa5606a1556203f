using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTasksQualityJudgeTests
{
    [Fact]
    public void A_clear_instruction_with_a_well_formed_stopped_answer_scores_seven_even_when_wrong()
    {
        // correctness is the verifier's business: "cab" is wrong for rev abc but well-formed
        Assert.Equal(new QualityScore(7, "1111111"), TinyTasksQualityJudge.Score("rev abc", "cab", answerStopped: true));
    }

    [Fact]
    public void Degenerate_repetition_loses_the_structure_point()
    {
        // rev cccbcbcbcbcb: valid, 16 chars (concise), diversity 3/11 < 0.5 → criterion 4 fails
        Assert.Equal(new QualityScore(6, "1110111"), TinyTasksQualityJudge.Score("rev cccbcbcbcbcb", "bcbcbcbcbccc", true));
    }

    [Fact]
    public void Maximum_length_queries_lose_the_length_point()
    {
        // 8 numbers of 6 digits: valid but 55 characters > 40
        var q = "max 905172 384615 276091 553820 148367 690254 731948 862405";
        Assert.Equal("1101111", TinyTasksQualityJudge.Score(q, "905172", true).Criteria);
    }

    [Theory]
    [InlineData("foo abc", "cba", true)]      // unknown family: no task at all (scored 2 before issue 13: criteria 6, 7)
    [InlineData("add 1 x", "ab", false)]      // a family word but a bad argument: not an instruction (scored 2: 1, 6)
    [InlineData("rev  abc", "cba", true)]     // two spaces: not the instruction form
    [InlineData("", "", true)]
    public void A_text_that_is_not_an_instruction_meets_no_criterion(string instruction, string answer, bool stopped) =>
        // Box 3's criteria are all about the user's task or the response to it: with no identifiable task none holds,
        // however short and cleanly stopped the answer
        Assert.Equal(new QualityScore(0, "0000000"), TinyTasksQualityJudge.Score(instruction, answer, stopped));

    [Fact]
    public void A_malformed_answer_to_a_valid_instruction_loses_only_its_form_point()
    {
        // len abc → "three": letters where a number is due → criterion 5 fails; the rest hold
        Assert.Equal(new QualityScore(6, "1111011"), TinyTasksQualityJudge.Score("len abc", "three", true));
    }
}
