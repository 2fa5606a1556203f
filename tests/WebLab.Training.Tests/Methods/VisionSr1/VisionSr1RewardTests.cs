// Vision-SR1's reward on the public code's edge cases, each worked out from see_think_selfReward.py.
using WebLab.Training.Domains;
using WebLab.Training.Methods.VisionSr1;

namespace WebLab.Training.Tests.Methods.VisionSr1;

public class VisionSr1RewardTests
{
    const string Good = "<description>three red circles</description> <think>count them: 3</think> \\boxed{3}";

    [Fact]
    public void A_well_formed_right_answer_whose_description_suffices_scores_two()
    {
        var s = VisionSr1Reward.Score(Good, "<think>three</think> \\boxed{3}", "3");
        Assert.Equal(new VisionSr1Score(2.0, 1, 1, 1), s);                  // 0.9·1 + 0.1·1 + 1
    }

    [Fact]
    public void Spaces_around_tags_and_slashes_are_normalised_away_in_the_first_pass_only()
    {
        // "< description >" and "< / think >" normalise to tags; "1 / 2" in the box to "1/2"
        var first = " < description > half shaded < / description >\n< think > one of two < / think > \\boxed{1 / 2} ";
        var s = VisionSr1Reward.Score(first, "\\boxed{1 / 2}", "1/2");
        Assert.Equal(1, s.Format);
        Assert.Equal(1, s.Accuracy);
        Assert.Equal(1, s.Description);                                     // 1 / 2 still equals 1/2 as a number
        Assert.Equal("<description>half shaded</description>", VisionSr1Reward.Normalise("<description > half shaded < /description>"));
    }

    [Fact]
    public void Trailing_text_after_the_box_costs_the_format_point_only()
    {
        var s = VisionSr1Reward.Score(Good + ".", "\\boxed{4}", "3");   // a trailing period: the regex wants \s*$
        Assert.Equal(new VisionSr1Score(0.9, 1, 0, 0), s);
    }

    [Fact]
    public void A_missing_description_fails_the_format_and_the_answer_still_counts()
    {
        var s = VisionSr1Reward.Score("<think>3</think> \\boxed{3}", "\\boxed{2}", "3");
        Assert.Equal(new VisionSr1Score(0.9, 1, 0, 0), s);
        Assert.Equal(("", true), VisualPrompts.Description("<think>3</think> \\boxed{3}"));
        Assert.Equal(("<think>3</think> \\boxed{3}", true), VisualPrompts.Description("<think>3</think> \\boxed{3}", wholeResponseWhenMissing: true));
        Assert.Equal(("three red circles", false), VisualPrompts.Description(Good));
    }

    [Fact]
    public void With_several_boxes_the_last_one_is_the_answer()
    {
        var first = "<description>d</description><think>\\boxed{2} no, wait</think>\\boxed{3}";
        Assert.Equal("3", Boxed.Last(first));
        Assert.Equal(new VisionSr1Score(1.0, 1, 1, 0), VisionSr1Reward.Score(first, "no box", "3"));   // 0.9 + 0.1 + 0
        Assert.Equal("\\frac{1}{2}", Boxed.Last("\\boxed{a} then \\boxed{\\frac{1}{2}}"));
        Assert.Equal(Boxed.None, Boxed.Last("\\boxed{unclosed"));
    }

    [Fact]
    public void Every_reward_value_is_one_of_the_seven_the_formula_allows()
    {
        double[] allowed = [0, 0.1, 0.9, 1.0, 1.1, 1.9, 2.0];
        foreach (var first in new[] { Good, Good + "!", "\\boxed{4}", "<description>x</description><think>y</think>\\boxed{4}" })
            foreach (var second in new[] { "\\boxed{3}", "\\boxed{4}", "" })
                Assert.Contains(allowed, a => Math.Abs(a - VisionSr1Reward.Score(first, second, "3").Overall) < 1e-12);
    }

    [Fact]
    public void Vision_R1_has_no_second_pass_and_its_own_format()
    {
        Assert.Equal(new VisionSr1Score(1.0, 1, 1, 0), VisionSr1Reward.Score("<think>3 circles</think> \\boxed{3}", null, "3"));
        Assert.Equal(new VisionSr1Score(0.9, 1, 0, 0), VisionSr1Reward.Score(Good, null, "3"));   // a description is not R1's format
    }

    [Theory]
    [InlineData("Red", "red", true)]
    [InlineData("\\text{ yes }.", "Yes", true)]
    [InlineData("0.5", "1/2", true)]
    [InlineData("\\frac{12}{5}", "2.4", true)]
    [InlineData("B", "b", true)]
    [InlineData("12", "1 2", true)]                                        // spaces are dropped before comparing
    [InlineData("3", "4", false)]
    [InlineData("None", "3", false)]
    [InlineData("", "", false)]
    public void Answers_are_graded_after_normalisation(string answer, string truth, bool equal) =>
        Assert.Equal(equal, AnswerGrader.Equal(answer, truth));

    [Fact]
    public void The_caption_reasoner_prompt_is_the_codes_text()
    {
        Assert.Equal("Text description: two cats\nQuestion: How many cats?\nYou are provided a text description of a problem and a question. " +
            "Determine the answer to the question based on the text description. First provide an internal step-by-step reasoning within " +
            "<think> </think> tags, then provide a single word or phrase answer in \\boxed{}.", VisualPrompts.CaptionReasoner("two cats", "How many cats?"));
        Assert.Contains("description\u2014detailed", VisualPrompts.SeeThink);
        Assert.Equal(3, VisualPrompts.SeeThink.Split("\\n").Length - 1);     // three literal backslash-n, no newline
        Assert.DoesNotContain('\n', VisualPrompts.SeeThink);
    }
}

public class VisionSr1SeparateAdvantagesTests
{
    [Fact]
    public void Separate_advantages_z_score_each_reward_in_the_group_then_add_them()
    {
        // answer rewards [0.9, 0.1, 1, 1]: mean 0.75, unbiased std √((0.0225 + 0.4225 + 0.0625 + 0.0625) / 3) = √0.19
        // description rewards [1, 1, 0, 0]: mean 0.5, unbiased std √(4 · 0.25 / 3) = √(1/3)
        double sa = Math.Sqrt(0.19), sd = Math.Sqrt(1 / 3.0);
        double[] expected = [0.15 / sa + 0.5 / sd, -0.65 / sa + 0.5 / sd, 0.25 / sa - 0.5 / sd, 0.25 / sa - 0.5 / sd];
        var separate = VisionSr1Advantages.Separate([0.9, 0.1, 1, 1], [1, 1, 0, 0], eps: 0);
        Assert.All(expected.Zip(separate), p => Assert.Equal(p.First, p.Second, 12));
        // the summed form z-scores [1.9, 1.1, 1, 1] once and ranks the wrong answer with a sufficient description (1.1) above
        // the right answers without one (1.0); apart, the right answers come first: −0.625 against −0.293
        var summed = VisionSr1Advantages.ZScore([1.9, 1.1, 1, 1], eps: 0);
        Assert.True(summed[1] > summed[2]);
        Assert.True(separate[1] < separate[2]);
    }

    [Fact]
    public void The_see_think_baseline_is_held_to_the_see_think_format_without_a_description_reward()
    {
        const string seeThink = "<description> top: big red circle. </description> <think> one circle. </think> \\boxed{1}";
        Assert.Equal(new VisionSr1Score(1.0, 1, 1, 0), VisionSr1Reward.Score(seeThink, WebLab.Training.Domains.ResponseFormat.SeeThink, null, "1"));
        Assert.Equal(new VisionSr1Score(0.9, 1, 0, 0), VisionSr1Reward.Score("<think> one circle. </think> \\boxed{1}", WebLab.Training.Domains.ResponseFormat.SeeThink, null, "1"));
    }
}
