// TinyScenes: the drawing (exact colours where the shapes are, PNG bytes that decode to the same pixels), hand-worked
// answers for every question family, the language prior and its counter split, and held-out items kept from training.
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Models.Vision;
using static WebLab.Training.Domains.TinyScenes.SceneColor;
using static WebLab.Training.Domains.TinyScenes.SceneShape;
using static WebLab.Training.Domains.TinyScenes.SceneSize;

namespace WebLab.Training.Tests.Domains.TinyScenes;

public sealed class TinyScenesTests
{
    // big red circle top left, small blue square center, big yellow circle bottom right, small green triangle top right
    static readonly Scene Hand = new([
        new(Circle, Red, Big, 0, 0), new(Square, Blue, Small, 1, 1), new(Circle, Yellow, Big, 2, 2), new(Triangle, Green, Small, 0, 2),
    ]);

    static (float R, float G, float B) At(float[] px, int x, int y)
    {
        const int n = SceneRenderer.Size;
        return (px[(0 * n + y) * n + x], px[(1 * n + y) * n + x], px[(2 * n + y) * n + x]);
    }

    [Fact]
    public void The_description_names_every_object_in_reading_order()
    {
        Assert.Equal("top left: big red circle. top right: small green triangle. center: small blue square. bottom right: big yellow circle.",
            Hand.Describe());
    }

    [Fact]
    public void A_description_mentions_whole_sentences_only()
    {
        var leftCircle = new SceneObject(Circle, Red, Big, 1, 0);
        Assert.True(Scene.Mentions("left: big red circle. center: small blue square.", leftCircle));
        Assert.False(Scene.Mentions("top left: big red circle.", leftCircle));   // "left: big red circle" is inside it as text
        Assert.False(Scene.Mentions("left: small red circle.", leftCircle));
    }

    [Fact]
    public void Shapes_are_drawn_in_their_cells_in_exactly_their_colours_on_the_ground()
    {
        var px = SceneRenderer.Pixels(Hand);
        Assert.Equal(3 * 48 * 48, px.Length);
        Assert.Equal((220 / 255f, 40 / 255f, 40 / 255f), At(px, 8, 8));          // centre of cell (0, 0): the red circle
        Assert.Equal((40 / 255f, 80 / 255f, 220 / 255f), At(px, 24, 24));        // centre of (1, 1): the blue square
        Assert.Equal((235 / 255f, 200 / 255f, 30 / 255f), At(px, 40, 40));       // centre of (2, 2): the yellow circle
        Assert.Equal((40 / 255f, 170 / 255f, 60 / 255f), At(px, 40, 9));         // inside the green triangle at (0, 2)
        Assert.Equal((235 / 255f, 235 / 255f, 235 / 255f), At(px, 8, 24));       // cell (1, 0) is empty
        Assert.Equal((235 / 255f, 235 / 255f, 235 / 255f), At(px, 24 + 5, 24)); // a small square is 6 pixels across: 5 off its centre is ground
        Assert.Equal((220 / 255f, 40 / 255f, 40 / 255f), At(px, 8 + 5, 8));      // a big circle's radius is 6
    }

    [Fact]
    public void Png_bytes_are_deterministic_and_decode_to_the_same_pixels()
    {
        var png = SceneRenderer.Png(Hand);
        Assert.Equal(png, SceneRenderer.Png(Hand));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        using var decoded = ImagePixels.Decode(png);
        Assert.Equal(SceneRenderer.Pixels(Hand), ImagePixels.FromBitmap(decoded, SceneRenderer.Size));
        Assert.Throws<InvalidDataException>(() => ImagePixels.Decode([1, 2, 3]));
    }

    [Fact]
    public void Counts_colours_and_relations_on_the_hand_made_scene()
    {
        Assert.Equal(4, Hand.Count());
        Assert.Equal(2, Hand.Count(shape: Circle));
        Assert.Equal(1, Hand.Count(color: Green));
        Assert.Equal(0, Hand.Count(Square, Red));
        SceneObject red = Hand.Objects[0], blue = Hand.Objects[1], yellow = Hand.Objects[2], green = Hand.Objects[3];
        Assert.True(SceneQuestions.Holds("left of", red, blue));
        Assert.False(SceneQuestions.Holds("left of", blue, red));
        Assert.True(SceneQuestions.Holds("above", green, yellow));
        Assert.False(SceneQuestions.Holds("below", green, red));                  // same row: neither above nor below
        Assert.True(SceneQuestions.Holds("right of", green, red));
    }

    [Theory]
    [InlineData(SceneFamily.Count), InlineData(SceneFamily.Color), InlineData(SceneFamily.Exist)]
    [InlineData(SceneFamily.Position), InlineData(SceneFamily.Compare), InlineData(SceneFamily.Sum)]
    public void Every_generated_answer_is_what_the_scene_says(SceneFamily family)
    {
        var rng = new Random(11);
        for (int i = 0; i < 300; i++)
        {
            var item = SceneQuestions.Generate(rng, family);
            Assert.Equal(family, item.Family);
            Assert.Equal(Solve(item.Scene, item.Question), item.Answer);
        }
    }

    /// <summary>An independent reading of the question text against the scene (written apart from the generator).</summary>
    static string Solve(Scene s, string q)
    {
        var words = q.TrimEnd('?').Split(' ');
        SceneShape Shape(string w) => Enum.Parse<SceneShape>(w.TrimEnd('s'), ignoreCase: true);
        SceneColor Color(string w) => Enum.Parse<SceneColor>(w, ignoreCase: true);
        SceneObject Named(string color, string shape) => s.Objects.Single(o => o.Color == Color(color) && o.Shape == Shape(shape));
        string YesNo(bool b) => b ? "yes" : "no";
        return words switch
        {
            ["how", "many", "shapes"] => s.Objects.Count.ToString(),
            ["how", "many", var c, "shapes"] => s.Objects.Count(o => o.Color == Color(c)).ToString(),
            ["how", "many", var a, "and", var b] => (s.Objects.Count(o => o.Shape == Shape(a)) + s.Objects.Count(o => o.Shape == Shape(b))).ToString(),
            ["how", "many", var a] => s.Objects.Count(o => o.Shape == Shape(a)).ToString(),
            ["what", "color", "is", "the", var a] => s.Objects.Single(o => o.Shape == Shape(a)).Color.ToString().ToLowerInvariant(),
            ["is", "there", "a", var c, var a] => YesNo(s.Objects.Any(o => o.Color == Color(c) && o.Shape == Shape(a))),
            ["are", "there", "more", var a, "than", var b] => YesNo(s.Objects.Count(o => o.Shape == Shape(a)) > s.Objects.Count(o => o.Shape == Shape(b))),
            ["is", "the", var c1, var a1, "left", "of", "the", var c2, var a2] => YesNo(Named(c1, a1).Col < Named(c2, a2).Col),
            ["is", "the", var c1, var a1, "right", "of", "the", var c2, var a2] => YesNo(Named(c1, a1).Col > Named(c2, a2).Col),
            ["is", "the", var c1, var a1, "above", "the", var c2, var a2] => YesNo(Named(c1, a1).Row < Named(c2, a2).Row),
            ["is", "the", var c1, var a1, "below", "the", var c2, var a2] => YesNo(Named(c1, a1).Row > Named(c2, a2).Row),
            _ => throw new InvalidOperationException("unparsed question: " + q),
        };
    }

    [Fact]
    public void The_prior_skews_yes_no_answers_and_the_counter_prior_split_goes_against_it()
    {
        var rng = new Random(3);
        var trained = Enumerable.Range(0, 3000).Select(_ => TinyScenesSplits.Training(rng)).Where(i => i.IsYesNo).ToList();
        var yes = trained.Count(i => i.Answer == SceneQuestions.Yes) / (double)trained.Count;
        Assert.InRange(yes, 0.76, 0.84);                                           // the knob: 0.8

        var splits = TinyScenesSplits.Evaluation(perSplit: 60);
        Assert.Equal(["count", "color", "exist", "position", "compare", "sum", TinyScenesSplits.CounterPrior], splits.Keys);
        var counter = splits[TinyScenesSplits.CounterPrior];
        Assert.All(counter, i => Assert.True(i.IsYesNo));
        Assert.InRange(counter.Count(i => i.Answer == SceneQuestions.Yes) / 60.0, 0.05, 0.35);   // 1 − 0.8
        // answering "yes" to every yes/no question: right about 80% of the time in distribution, about 20% against the prior
        var inDist = splits["exist"].Concat(splits["position"]).Concat(splits["compare"]).ToList();
        Assert.True(inDist.Count(i => i.Answer == SceneQuestions.Yes) / (double)inDist.Count > 0.65);
    }

    [Fact]
    public void Evaluation_items_are_held_out_distinct_and_never_trained_on()
    {
        var splits = TinyScenesSplits.Evaluation(perSplit: 40);
        var all = splits.Values.SelectMany(s => s).ToList();
        Assert.All(all, i => Assert.True(TinyScenesSplits.IsHeldOut(i)));
        Assert.All(splits.Values, s => Assert.Equal(s.Count, s.Select(i => i.Scene.Describe() + "|" + i.Question).Distinct().Count()));
        var rng = new Random(5);
        Assert.DoesNotContain(Enumerable.Range(0, 2000).Select(_ => TinyScenesSplits.Training(rng)), TinyScenesSplits.IsHeldOut);
        // a second seed draws another set
        Assert.NotEqual(all.Select(i => i.Question + i.Scene.Describe()), TinyScenesSplits.Evaluation(40, seed: 99).Values.SelectMany(s => s).Select(i => i.Question + i.Scene.Describe()));
        // and the held-out share is about an eighth of the space
        var drawn = Enumerable.Range(0, 4000).Select(_ => SceneQuestions.Generate(rng, (SceneFamily)rng.Next(6))).ToList();
        Assert.InRange(drawn.Count(TinyScenesSplits.IsHeldOut) / 4000.0, 0.09, 0.16);
    }
}
