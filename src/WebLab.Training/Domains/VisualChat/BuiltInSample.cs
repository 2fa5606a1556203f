// The visual chat domain's built-in sample, so that tests and a first run need no download: TinyScenes pictures (drawn
// with SkiaSharp, by their "tinyscenes:" source) with their questions, a quarter of them asked as multiple choice
// ("(A) red (B) blue …", answered by letter), and each with a see-think target answer built from the scene's true
// description for a cold start. Its held-out rows are TinyScenes' held-out items, so the two never mix.
using WebLab.Training.Domains.TinyScenes;

namespace WebLab.Training.Domains.VisualChat;

public static class BuiltInSample
{
    public const string File = "built-in sample";

    /// <summary>A row of the sample: the question (maybe as multiple choice), its answer, the scene's source, the true
    /// description and a see-think response.</summary>
    public static VisualRow Row(SceneItem item, Random rng, int row)
    {
        var description = item.Scene.Describe();
        var (problem, answer) = rng.Next(4) == 0 ? MultipleChoice(item, rng) : (item.Question, item.Answer);
        var response = $"<description> {description} </description> <think> {SceneResponses.Reasoning(item)} </think> \\boxed{{{answer}}}";
        return new VisualRow(problem, answer, [SceneCode.Source(item.Scene)], response, File, row);
    }

    /// <summary>The question with four options, one the answer, the others other answers of its family; answered by letter.</summary>
    public static (string Problem, string Answer) MultipleChoice(SceneItem item, Random rng)
    {
        string[] pool = item.Answer switch
        {
            "yes" or "no" => ["yes", "no", "maybe", "unknown"],
            _ when int.TryParse(item.Answer, out _) => ["0", "1", "2", "3", "4", "5"],
            _ => ["red", "green", "blue", "yellow", "none", "circle", "square", "triangle"],
        };
        var options = pool.Where(o => o != item.Answer).OrderBy(_ => rng.Next()).Take(3).Append(item.Answer).OrderBy(_ => rng.Next()).ToList();
        int k = options.IndexOf(item.Answer);
        var text = string.Join(" ", options.Select((o, i) => $"({(char)('A' + i)}) {o}"));
        return ($"{item.Question} Options: {text}", ((char)('A' + k)).ToString());
    }

    /// <summary>Training rows, drawn fresh (TinyScenes' held-out eighth never appears).</summary>
    public static VisualRow Training(Random rng, int row) => Row(TinyScenesSplits.Training(rng), rng, row);

    /// <summary>Held-out rows drawn with <paramref name="seed"/>: <paramref name="count"/> of TinyScenes' held-out items.</summary>
    public static IReadOnlyList<VisualRow> HeldOut(int count, int seed)
    {
        var rng = new Random(seed);
        var perFamily = Math.Max(1, (count + 5) / 6);
        var items = TinyScenesSplits.Evaluation(perFamily, seed).Where(kv => kv.Key != TinyScenesSplits.CounterPrior).SelectMany(kv => kv.Value).Take(count);
        return items.Select((item, i) => Row(item, rng, i + 1)).ToList();
    }
}
