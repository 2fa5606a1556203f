// The vision methods' evaluation, every EvalEvery steps and at the end: greedy answers to the domain's held-out splits.
//   accuracy: the method's own format (see-think for Vision-SR1, chain of thought for Vision-R1), per split and over the
//             in-distribution splits (eval/accuracy; a split the domain keeps apart, e.g. counter-prior, is reported alone);
//   LSR:      the see-think answers (for Vision-R1 a second greedy pass in that format): a judge, by default the frozen
//             start model with the caption-reasoner prompt, answers from each description and the question alone; a
//             right final answer whose description does not let the judge answer right is a language shortcut.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.VisionSr1;

public sealed class VisionEvaluation(IVisualDomain domain, int perSplit, int evalSeed, ResponseFormat format, int maxTokens, IRunLog log)
{
    readonly IReadOnlyList<(string Split, VisualItem Item)> items =
        domain.Evaluation(perSplit, evalSeed).SelectMany(kv => kv.Value.Select(i => (kv.Key, i))).ToList();

    public sealed record Case(string Split, VisualItem Item, string Response, bool Correct, bool Formatted, string SeeThink,
        string? Description, string Judge, ShortcutCase Shortcut);

    List<string> Greedy(IPolicy model, IReadOnlyList<Prompt> prompts) => GreedyTexts.Of(model, prompts, domain.Tokenizer, maxTokens);

    public IReadOnlyList<Case> Cases(IPolicy policy, IPolicy judge)
    {
        var own = Greedy(policy, items.Select(x => domain.FirstPass(x.Item, format)).ToList());
        var seeThink = format == ResponseFormat.SeeThink ? own : Greedy(policy, items.Select(x => domain.FirstPass(x.Item, ResponseFormat.SeeThink)).ToList());
        var described = seeThink.Select(t => VisionSr1Prompts.Description(t)).ToList();
        var judged = Greedy(judge, items.Select((x, k) => domain.SecondPass(described[k].Description, x.Item.Question)).ToList());
        return items.Select((x, k) =>
        {
            var score = VisionSr1Reward.Score(own[k], format == ResponseFormat.SeeThink ? "" : null, x.Item.Answer);
            var seeThinkRight = AnswerGrader.Equal(Boxed.Last(VisionSr1Reward.Normalise(seeThink[k])), x.Item.Answer);
            var sufficient = AnswerGrader.Equal(Boxed.Last(judged[k]), x.Item.Answer);
            var shortcut = new ShortcutCase(seeThinkRight, sufficient, !described[k].Missing && ShortcutRate.States(described[k].Description, x.Item.Answer));
            return new Case(x.Split, x.Item, own[k], score.Accuracy == 1, score.Format == 1, seeThink[k],
                described[k].Missing ? null : described[k].Description, judged[k], shortcut);
        }).ToList();
    }

    /// <summary>Evaluates and logs the metrics and every case as a sample.</summary>
    public void Run(IPolicy policy, IPolicy judge, long step)
    {
        var cases = Cases(policy, judge);
        var inDistribution = cases.Where(c => !domain.IsApart(c.Split)).ToList();
        var all = ShortcutRate.Of(inDistribution.Select(c => c.Shortcut).ToList());
        List<MetricPoint> points =
        [
            new(step, MetricNames.EvalAccuracy, inDistribution.Average(c => c.Correct ? 1.0 : 0.0)),
            new(step, MetricNames.EvalLsr, all.Lsr),
            new(step, MetricNames.EvalDescriptionStatesAnswer, all.StatesAnswerRate),
            new(step, MetricNames.EvalFormat, cases.Average(c => c.Formatted ? 1.0 : 0.0)),
            new(step, MetricNames.EvalDescriptionMissingFrac, cases.Average(c => c.Description is null ? 1.0 : 0.0)),
        ];
        foreach (var g in cases.GroupBy(c => c.Split))
        {
            points.Add(new(step, MetricNames.EvalAccuracyOf(g.Key), g.Average(c => c.Correct ? 1.0 : 0.0)));
            points.Add(new(step, MetricNames.EvalLsrOf(g.Key), ShortcutRate.Of(g.Select(c => c.Shortcut).ToList()).Lsr));
        }
        log.Metrics(points);
        log.Samples([.. cases.Select(c => new SampleRecord(step, SampleRoles.Eval, c.Item.Question, c.Response, c.Correct ? 1 : 0, c.Correct,
            SampleExtras.Write(new VisualEvalExtra(c.Split, c.Item.Answer, c.Item.Image, c.Description, c.Item.Truth, c.Judge,
                c.Shortcut.AnswerCorrect && !c.Shortcut.DescriptionSufficient))))]);
    }
}
