// What a TinyScenes prompt and answer look like. The prompt: BOS, the image's placeholder run, the question, the
// method's instruction (verbatim, one token). The cold start's target answer (SFT): a description (the ground truth, less
// the asked-about object a share of the time, so that descriptions leave room to improve), a short reasoning from the
// scene, and the boxed answer, in Vision-SR1's see-think format or Vision-R1's chain of thought.
using WebLab.Training.Generation;
using WebLab.Training.Models;

namespace WebLab.Training.Domains.TinyScenes;

public static class SceneResponses
{
    /// <summary>The share of cold-start descriptions that leave out an object the question is about.</summary>
    public const double OmitShare = 0.3;

    public static string Instruction(ResponseFormat f) => f == ResponseFormat.SeeThink ? VisualPrompts.SeeThink : VisualPrompts.ChainOfThought;

    /// <summary>[BOS] [the image's placeholder run, as the model's processor writes it] question instruction.</summary>
    public static Prompt FirstPass(TinyScenesTokenizer tok, SceneItem item, ResponseFormat f, IMediaProcessor processor) =>
        FirstPass(tok, item.Question, SceneCode.Source(item.Scene), f, processor);

    public static Prompt FirstPass(TinyScenesTokenizer tok, string question, string imageSource, ResponseFormat f, IMediaProcessor processor)
    {
        var image = processor.Placeholders(PromptMedia.Image, imageSource);
        int[] tokens = [TinyScenesTokenizer.Bos, .. image, .. tok.Encode(VisualPrompts.FirstPass(question, Instruction(f)))];
        return new Prompt(tokens, [new PromptMedia(PromptMedia.Image, imageSource, 1, image.Length)]);
    }

    /// <summary>The second pass (text only): the caption-reasoner prompt over a description and the question.</summary>
    public static Prompt SecondPass(TinyScenesTokenizer tok, string description, string question) =>
        Prompt.Text([TinyScenesTokenizer.Bos, .. tok.Encode(VisualPrompts.CaptionReasoner(description, question))]);

    /// <summary>The objects a question names (by colour or shape); the whole scene for "how many shapes?".</summary>
    public static IReadOnlyList<SceneObject> AskedAbout(SceneItem item)
    {
        var words = item.Question.TrimEnd('?').Split(' ').Select(w => w.TrimEnd('s')).ToHashSet();
        var named = item.Scene.Objects.Where(o => words.Contains(o.Shape.Word()) || words.Contains(o.Color.Word())).ToList();
        return named.Count > 0 ? named : item.Scene.Objects;
    }

    /// <summary>The cold start's description: the ground truth, less one asked-about object with probability <see cref="OmitShare"/>.</summary>
    public static string Description(SceneItem item, Random rng)
    {
        if (rng.NextDouble() >= OmitShare) return item.Scene.Describe();
        var asked = AskedAbout(item);
        var dropped = asked[rng.Next(asked.Count)];
        return new Scene(item.Scene.Objects.Where(o => o != dropped).ToList()).Describe();
    }

    /// <summary>The cold start's third kind of example (as the public code's): the caption reasoner's text-only answer from a
    /// description, reasoning over the scene the description describes (so an omitted object is not seen).</summary>
    public static string CaptionAnswer(SceneItem item, string description)
    {
        var described = new SceneItem(DescribedScene(item.Scene, description), item.Family, item.Question, "");
        var answer = SceneQuestions.Answer(described.Scene, item.Family, item.Question);
        described = described with { Answer = answer };
        var reasoning = item.Family == SceneFamily.Color && answer == SceneQuestions.None
            ? $"no {item.Question.TrimEnd('?').Split(' ')[4]} is described."
            : item.Family == SceneFamily.Position && answer == SceneQuestions.No && !BothNamed(described)
                ? "one of them is not described. so no."
                : Reasoning(described);
        return $"<think> {reasoning} </think> {TinyScenesTokenizer.BoxOpen}{answer}{TinyScenesTokenizer.BoxClose}";
    }

    static bool BothNamed(SceneItem item)
    {
        var w = item.Question.TrimEnd('?').Split(' ');
        bool Has(string c, string sh) => item.Scene.Objects.Any(o => o.Color.Word() == c && o.Shape.Word() == sh);
        return Has(w[2], w[3]) && Has(w[^2], w[^1]);
    }

    /// <summary>The objects of <paramref name="scene"/> that <paramref name="description"/> mentions (it is one of its descriptions).</summary>
    public static Scene DescribedScene(Scene scene, string description) =>
        new(scene.Objects.Where(o => Scene.Mentions(description, o)).ToList());

    /// <summary>A short reasoning from the scene itself (what the image shows), ending in the answer.</summary>
    public static string Reasoning(SceneItem item)
    {
        var s = item.Scene;
        var w = item.Question.TrimEnd('?').Split(' ');
        string Counted(string shape) => $"{s.Count(shape: Enum.Parse<SceneShape>(shape.TrimEnd('s'), true))} {shape}";
        return item.Family switch
        {
            SceneFamily.Count => $"i count {item.Answer} {string.Join(' ', w[2..])}.",
            SceneFamily.Color => $"the {w[4]} is {item.Answer}.",
            SceneFamily.Exist => item.Answer == SceneQuestions.Yes ? $"there is a {w[3]} {w[4]}." : $"there is no {w[3]} {w[4]}.",
            SceneFamily.Position => $"the {w[2]} {w[3]} is at {Place(s, w[2], w[3])}. the {w[^2]} {w[^1]} is at {Place(s, w[^2], w[^1])}. so {item.Answer}.",
            SceneFamily.Compare => $"{Counted(w[3])} and {Counted(w[5])}. so {item.Answer}.",
            SceneFamily.Sum => $"{Counted(w[2])} and {Counted(w[4])}. {CountOf(s, w[2])} plus {CountOf(s, w[4])} is {item.Answer}.",
            _ => throw new ArgumentOutOfRangeException(nameof(item)),
        };
    }

    static int CountOf(Scene s, string plural) => s.Count(shape: Enum.Parse<SceneShape>(plural.TrimEnd('s'), true));

    static string Place(Scene s, string color, string shape)
    {
        var o = s.Objects.Single(o => o.Color.Word() == color && o.Shape.Word() == shape);
        return Scene.Place(o.Row, o.Col);
    }

    public static string Response(SceneItem item, ResponseFormat f, string description) => f == ResponseFormat.SeeThink
        ? $"<description> {description} </description> <think> {Reasoning(item)} </think> {TinyScenesTokenizer.BoxOpen}{item.Answer}{TinyScenesTokenizer.BoxClose}"
        : $"<think> {Reasoning(item)} </think> {TinyScenesTokenizer.BoxOpen}{item.Answer}{TinyScenesTokenizer.BoxClose}";
}
