// The exact sufficiency judge, on hand-worked descriptions of one scene: complete, missing the asked object, a wrong
// colour, extra objects, the answer stated outright, and none at all.
using WebLab.Training.Domains.TinyScenes;

namespace WebLab.Training.Tests.Domains.TinyScenes;

public class SceneOracleTests
{
    // the scene: a big red circle top left, a small blue square in the centre, a small green circle bottom right
    const string Truth = "top left: big red circle. center: small blue square. bottom right: small green circle.";

    [Theory]
    // complete: every question is answered from it as from the image
    [InlineData(Truth, "how many circles?", "2", true)]
    [InlineData(Truth, "what color is the square?", "blue", true)]
    [InlineData(Truth, "is the blue square left of the green circle?", "yes", true)]
    // missing the asked object: the square is gone, so its colour is "none" and the count of circles still 2
    [InlineData("top left: big red circle. bottom right: small green circle.", "what color is the square?", "blue", false)]
    [InlineData("top left: big red circle. bottom right: small green circle.", "how many circles?", "2", true)]
    [InlineData("top left: big red circle. center: small blue square.", "how many circles?", "2", false)]
    // a wrong colour: wrong where the question asks about it, harmless where it does not
    [InlineData("top left: big red circle. center: small yellow square. bottom right: small green circle.", "what color is the square?", "blue", false)]
    [InlineData("top left: big red circle. center: small yellow square. bottom right: small green circle.", "how many circles?", "2", true)]
    // extra objects: a third circle makes the count wrong; an extra triangle does not change "are there more circles than squares?"
    [InlineData(Truth + " top: big red circle.", "how many circles?", "2", false)]
    [InlineData(Truth + " top: big red triangle.", "are there more circles than squares?", "yes", true)]
    // the answer stated outright states no object: insufficient (the states-answer count is kept apart)
    [InlineData("2.", "how many circles?", "2", false)]
    [InlineData("the answer is blue.", "what color is the square?", "blue", false)]
    // a second object in a stated cell, and sentences not of the form, state nothing
    [InlineData("top left: big red circle. top left: big blue circle. a lovely picture. bottom right: small green circle.", "how many circles?", "2", true)]
    public void A_description_suffices_when_the_objects_it_states_give_the_right_answer(string description, string question, string answer, bool sufficient) =>
        Assert.Equal(sufficient, SceneOracle.Sufficient(description, question, answer));

    [Fact]
    public void A_missing_description_is_insufficient_even_where_an_empty_scene_would_answer_right()
    {
        // "is there a green triangle?" is "no" in the scene, and "no" of a scene with nothing in it too: a closed-world reader
        // answers it right from an empty description, but a missing one gets no answer at all
        Assert.True(SceneOracle.Sufficient("", "is there a green triangle?", "no"));
        Assert.False(SceneOracle.Sufficient(null, "is there a green triangle?", "no"));
    }

    [Theory]
    [InlineData("how many circles and squares?", SceneFamily.Sum)]
    [InlineData("how many red shapes?", SceneFamily.Count)]
    [InlineData("what color is the circle?", SceneFamily.Color)]
    [InlineData("is there a blue square?", SceneFamily.Exist)]
    [InlineData("is the red circle above the blue square?", SceneFamily.Position)]
    [InlineData("are there more circles than triangles?", SceneFamily.Compare)]
    public void A_questions_family_is_read_from_its_words(string question, SceneFamily family) =>
        Assert.Equal(family, SceneQuestions.FamilyOf(question));
}
