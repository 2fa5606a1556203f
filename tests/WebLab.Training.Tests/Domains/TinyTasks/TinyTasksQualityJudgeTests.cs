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

    [Fact]
    public void Unparseable_queries_and_malformed_answers_score_low()
    {
        // unknown family: nothing about the instruction holds; the answer is short and stopped (criteria 6, 7)
        Assert.Equal(new QualityScore(2, "0000011"), TinyTasksQualityJudge.Score("foo abc", "cba", true));
        // known family, bad argument: criterion 1 only; letters where a number is due and no end token
        Assert.Equal(new QualityScore(2, "1000010"), TinyTasksQualityJudge.Score("add 1 x", "ab", false));
        Assert.Equal("1111011", TinyTasksQualityJudge.Score("len abc", "three", true).Criteria[..7]);
    }
}
