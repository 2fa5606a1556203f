// LSR on a hand-made set, the group z-score by hand.
using WebLab.Training.Methods.VisionSr1;

namespace WebLab.Training.Tests.Methods.VisionSr1;

public class ShortcutRateTests
{
    [Fact]
    public void Shortcuts_are_right_answers_whose_description_does_not_suffice()
    {
        ShortcutCase[] cases =
        [
            new(AnswerCorrect: true, DescriptionSufficient: true),           // grounded
            new(AnswerCorrect: true, DescriptionSufficient: false),          // shortcut
            new(AnswerCorrect: true, DescriptionSufficient: false, DescriptionStatesAnswer: false),  // shortcut
            new(AnswerCorrect: false, DescriptionSufficient: false),         // wrong: not a shortcut
            new(AnswerCorrect: false, DescriptionSufficient: true, DescriptionStatesAnswer: true),   // wrong despite a sufficient one
        ];
        // LSR = 2 / 5; accuracy = 3 / 5; descriptions stating the answer 1 / 5
        Assert.Equal(new ShortcutStats(5, 2, 0.4, 0.6, 0.2), ShortcutRate.Of(cases));
        Assert.Equal(new ShortcutStats(0, 0, 0, 0, 0), ShortcutRate.Of([]));
    }

    [Theory]
    [InlineData("There are 3 red circles.", "3", true)]
    [InlineData("13 dots in a row", "3", false)]
    [InlineData("The square is RED", "red", true)]
    [InlineData("a reddish square", "red", false)]
    public void A_description_states_the_answer_only_as_a_whole_word(string description, string answer, bool states) =>
        Assert.Equal(states, ShortcutRate.States(description, answer));

    [Fact]
    public void Group_advantages_are_z_scores_with_the_unbiased_std()
    {
        // [2, 0, 1, 1]: mean 1, Σ(r − mean)² = 2, unbiased std √(2/3) = 0.816497 → ±1/0.816497 = ±1.224745
        var a = VisionSr1Advantages.ZScore([2, 0, 1, 1]);
        Assert.Equal([1.224743, -1.224743, 0, 0], a.Select(x => Math.Round(x, 6)));
        Assert.Equal([0.0, 0.0], VisionSr1Advantages.ZScore([1.1, 1.1]));   // no signal
        Assert.Equal(2 / (1 + 1e-6), VisionSr1Advantages.ZScore([2])[0], 9);   // a group of one: mean 0, std 1
    }
}
