// TinyScenes' own evaluation (the cold start's): greedy answers to the held-out splits in a response format; accuracy
// per split (eval/accuracy/<family>), over the six family splits (eval/accuracy: in distribution), and on the
// counter-prior split apart; the share of answers in the format, and of see-think answers without a description.
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;

namespace WebLab.Training.Domains.TinyScenes;

public static class TinyScenesEvaluator
{
    public sealed record Answer(string Split, SceneItem Item, string Response, bool Correct, bool Formatted, string? Description);

    const int MaxNewTokens = 96;

    public static IReadOnlyList<Answer> Answers(IPolicy model, TinyScenesTokenizer tok, IReadOnlyDictionary<string, IReadOnlyList<SceneItem>> splits,
        ResponseFormat format)
    {
        var items = splits.SelectMany(kv => kv.Value.Select(i => (Split: kv.Key, Item: i))).ToList();
        var texts = GreedyTexts.Of(model, items.Select(x => SceneResponses.FirstPass(tok, x.Item, format, model.Processor)).ToList(), tok, MaxNewTokens);
        var answers = items.Select((x, k) =>
        {
            var (right, formatted) = VisualAnswers.Grade(texts[k], format, x.Item.Answer);
            var (description, missing) = VisualPrompts.Description(texts[k]);
            return new Answer(x.Split, x.Item, texts[k], right, formatted, format == ResponseFormat.SeeThink && !missing ? description : null);
        }).ToList();
        return answers;
    }

    public static EvaluationReport Report(IPolicy model, TinyScenesTokenizer tok, IReadOnlyDictionary<string, IReadOnlyList<SceneItem>> splits,
        ResponseFormat format, long step)
    {
        var answers = Answers(model, tok, splits, format);
        var points = answers.GroupBy(a => a.Split).Select(g => new MetricPoint(step, MetricNames.EvalAccuracyOf(g.Key), g.Average(a => a.Correct ? 1.0 : 0.0))).ToList();
        var inDistribution = answers.Where(a => a.Split != TinyScenesSplits.CounterPrior).ToList();
        points.Add(new(step, MetricNames.EvalAccuracy, inDistribution.Average(a => a.Correct ? 1.0 : 0.0)));
        points.Add(new(step, MetricNames.EvalFormat, answers.Average(a => a.Formatted ? 1.0 : 0.0)));
        if (format == ResponseFormat.SeeThink)
            points.Add(new(step, MetricNames.EvalDescriptionMissingFrac, answers.Average(a => a.Description is null ? 1.0 : 0.0)));
        var samples = answers.Select(a => new SampleRecord(step, SampleRole.Eval, a.Item.Question, a.Response, a.Correct ? 1 : 0, a.Correct,
            SampleExtras.Write(new VisualEvalExtra(a.Split, a.Item.Answer, SceneCode.Source(a.Item.Scene), a.Description, a.Item.Scene.Describe())))).ToList();
        return new(points, samples);
    }
}
