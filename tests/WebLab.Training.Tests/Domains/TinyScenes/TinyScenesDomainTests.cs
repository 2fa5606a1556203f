// TinyScenes as a domain: the word-level tokenizer gives every prompt and answer back verbatim (each instruction one
// token), the cold start's answers score full marks under Vision-SR1's reward, a share of its descriptions leave out an
// asked-about object, the image's run sits where the prompt says, scene codes round-trip, and the catalog lists it.
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.VisionSr1;
using WebLab.Training.Models;

namespace WebLab.Training.Tests.Domains.TinyScenes;

public sealed class TinyScenesDomainTests
{
    static readonly TinyScenesTokenizer Tok = new();

    static IEnumerable<SceneItem> Items(int n, int seed = 1)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, n).Select(i => SceneQuestions.Generate(rng, (SceneFamily)(i % 6)));
    }

    [Theory]
    [InlineData(ResponseFormat.SeeThink), InlineData(ResponseFormat.Think)]
    public void Answers_and_prompts_decode_to_their_text_and_score_full_marks(ResponseFormat format)
    {
        var rng = new Random(2);
        foreach (var item in Items(300))
        {
            var response = SceneResponses.Response(item, format, item.Scene.Describe());
            var ids = Tok.Encode(response);
            Assert.DoesNotContain(TinyScenesTokenizer.Unknown, ids);
            Assert.Equal(response, Tok.Decode(ids));
            var score = VisionSr1Reward.Score(response, format == ResponseFormat.SeeThink ? $"<think> x </think> \\boxed{{{item.Answer}}}" : null, item.Answer);
            Assert.Equal(new VisionSr1Score(format == ResponseFormat.SeeThink ? 2.0 : 1.0, 1, 1, format == ResponseFormat.SeeThink ? 1 : 0), score);
            Assert.DoesNotContain(TinyScenesTokenizer.Unknown, Tok.Encode(item.Question));
        }
    }

    [Fact]
    public void Each_fixed_instruction_is_one_token_and_unknown_words_are_unk()
    {
        Assert.Single(Tok.Encode(VisualPrompts.SeeThink));
        Assert.Single(Tok.Encode(VisualPrompts.ChainOfThought));
        var second = Tok.Encode(VisualPrompts.CaptionReasoner("top left: big red circle.", "how many shapes?"));
        Assert.Equal(3 + 7 + 4, second.Length);                       // head, 7 description tokens, middle, 3 question tokens, tail
        Assert.Equal([TinyScenesTokenizer.Unknown, Tok.Id("red")], Tok.Encode("purple red"));
        Assert.Equal("how many shapes?", Tok.Decode(Tok.Encode("how   many shapes ?")));
    }

    [Fact]
    public void About_three_in_ten_cold_start_descriptions_leave_out_an_asked_about_object()
    {
        var rng = new Random(4);
        var items = Items(2000, seed: 5).ToList();
        var omitted = 0;
        foreach (var item in items)
        {
            var d = SceneResponses.Description(item, rng);
            if (d == item.Scene.Describe()) continue;
            omitted++;
            var missing = item.Scene.Objects.Where(o => !Scene.Mentions(d, o)).ToList();
            Assert.Single(missing);
            Assert.Contains(missing[0], SceneResponses.AskedAbout(item));
        }
        Assert.InRange(omitted / 2000.0, 0.26, 0.34);
    }

    [Fact]
    public void A_supervised_example_puts_the_image_run_after_bos_and_ends_with_eos()
    {
        var domain = DomainCatalog.Default.Get<ISupervisedData>(TinyScenesDomain.Id);
        var rng = new Random(1);
        var examples = Enumerable.Range(0, 600).Select(_ => domain.SupervisedExample(rng, new SupervisedSettings(0, 0, 0))).ToList();
        // the public mix, a third each: the caption reasoner (text only, the caption prompt's head token first), the see-think
        // answer and the plain chain of thought, each to the instruction it answers
        var captions = examples.Where(e => e.Prompt.Media.Count == 0).ToList();
        Assert.InRange(captions.Count / 600.0, 0.28, 0.39);
        var chainOfThought = examples.Where(e => e.Prompt.Media.Count > 0 && e.Prompt.Tokens[^1] == Tok.Id(VisualPrompts.ChainOfThought)).ToList();
        Assert.InRange(chainOfThought.Count / 600.0, 0.28, 0.39);
        Assert.All(chainOfThought, c => Assert.StartsWith("<think>", Tok.Decode(c.Target)));
        // without the public mix, no chain of thought (see-think two thirds, the caption reasoner a third)
        var old = Enumerable.Range(0, 300).Select(_ => domain.SupervisedExample(rng, new SupervisedSettings(0, 0, 0, PublicMix: false))).ToList();
        Assert.DoesNotContain(old, e => e.Prompt.Media.Count > 0 && e.Prompt.Tokens[^1] == Tok.Id(VisualPrompts.ChainOfThought));
        Assert.All(captions, c => Assert.Equal(Tok.Id(TinyScenesTokenizer.CaptionParts.Head), c.Prompt.Tokens[1]));
        Assert.All(captions, c => Assert.StartsWith("<think>", Tok.Decode(c.Target)));
        var example = examples.First(e => e.Prompt.Media.Count > 0 && e.Prompt.Tokens[^1] == Tok.Id(VisualPrompts.SeeThink));
        var media = Assert.Single(example.Prompt.Media);
        Assert.Equal((PromptMedia.Image, 1, 9), (media.Kind, media.Start, media.Length));
        Assert.All(example.Prompt.Tokens[1..10], t => Assert.Equal(TinyScenesTokenizer.Image, t));
        Assert.Equal(Tok.Id(VisualPrompts.SeeThink), example.Prompt.Tokens[^1]);
        Assert.Equal(TinyScenesTokenizer.Eos, example.Target[^1]);
        Assert.StartsWith("<description>", Tok.Decode(example.Target));
        SceneCode.Decode(media.Source);                                   // the source names a scene
        Assert.StartsWith("<think>", Tok.Decode(domain.SupervisedExample(new Random(1), new SupervisedSettings(0, 0, 0, ResponseFormat.Think)).Target));
        Assert.IsNotAssignableFrom<ISelfPlayGame>(domain);                 // no text prompts: its questions come with their scenes
    }

    [Fact]
    public void A_description_is_answered_from_the_scene_it_describes()
    {
        foreach (var item in Items(600))
        {
            Assert.Equal(item.Answer, SceneQuestions.Answer(item.Scene, item.Family, item.Question));
            Assert.EndsWith($"\\boxed{{{item.Answer}}}", SceneResponses.CaptionAnswer(item, item.Scene.Describe()));
        }
        // hand-worked: the red circle left out of the description
        var scene = new Scene([new(SceneShape.Circle, SceneColor.Red, SceneSize.Big, 0, 0), new(SceneShape.Square, SceneColor.Blue, SceneSize.Small, 1, 1)]);
        const string withoutCircle = "center: small blue square.";
        SceneItem Ask(SceneFamily f, string q) => new(scene, f, q, SceneQuestions.Answer(scene, f, q));
        Assert.Equal("<think> no circle is described. </think> \\boxed{none}", SceneResponses.CaptionAnswer(Ask(SceneFamily.Color, "what color is the circle?"), withoutCircle));
        Assert.Equal("<think> there is no red circle. </think> \\boxed{no}", SceneResponses.CaptionAnswer(Ask(SceneFamily.Exist, "is there a red circle?"), withoutCircle));
        Assert.Equal("<think> one of them is not described. so no. </think> \\boxed{no}",
            SceneResponses.CaptionAnswer(Ask(SceneFamily.Position, "is the red circle left of the blue square?"), withoutCircle));
        Assert.Equal("<think> i count 1 shapes. </think> \\boxed{1}", SceneResponses.CaptionAnswer(Ask(SceneFamily.Count, "how many shapes?"), withoutCircle));
    }

    [Fact]
    public void Scene_codes_round_trip_and_bad_codes_say_why()
    {
        foreach (var item in Items(200)) Assert.Equal(item.Scene.Describe(), SceneCode.Decode(SceneCode.Source(item.Scene)).Describe());
        Assert.Contains("bad scene object 'xx'", Assert.Throws<FormatException>(() => SceneCode.Decode("tinyscenes:xx")).Message);
        Assert.Contains("share a cell", Assert.Throws<FormatException>(() => SceneCode.Decode("crB00;sbS00")).Message);
        Assert.Equal(SceneRenderer.Pixels(SceneCode.Decode("crB00")), WebLab.Training.Models.Vision.ImagePixels.Load("tinyscenes:crB00", 48));
    }
}
