// The vision methods' evaluation, every EvalEvery steps and at the end: greedy answers to the domain's held-out splits.
//   accuracy: the method's own format (see-think for Vision-SR1 and its no-self-reward baseline, chain of thought for
//             Vision-R1), per split and over the in-distribution splits (eval/accuracy; a split the domain keeps apart,
//             e.g. counter-prior, is reported alone);
//   LSR:      on those same see-think answers only (a chain-of-thought answer has no description to judge): a right final
//             answer whose description does not suffice is a language shortcut. Two judges of sufficiency, both reported:
//             the domain's exact oracle (TinyScenes knows every scene), and the frozen start model answering the caption-
//             reasoner prompt from the description and the question alone. A missing description is insufficient to both.
//             eval/lsr is the run's chosen judge (lsrJudge; the oracle by default, the start model where there is none).
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.VisionSr1;

/// <summary>Which judge's verdict eval/lsr reports (both are logged).</summary>
public enum LsrJudge
{
    /// <summary>The domain's exact oracle (TinyScenes: the question answered about the objects the description states).</summary>
    Oracle,
    /// <summary>The frozen start model with the caption-reasoner prompt (the same model and prompt as Vision-SR1's reward).</summary>
    StartModel,
}

public sealed class VisionEvaluation(IVisualDomain domain, int perSplit, int evalSeed, ResponseFormat format, int maxTokens, IRunLog log,
    LsrJudge lsrJudge = LsrJudge.Oracle)
{
    readonly IReadOnlyList<(string Split, VisualItem Item)> items =
        domain.Evaluation(perSplit, evalSeed).SelectMany(kv => kv.Value.Select(i => (kv.Key, i))).ToList();

    /// <summary>One evaluated item. For see-think answers: the description (null when missing), the start model's answer
    /// from it (null when missing), and each judge's verdict (the oracle's null where the domain has none); null otherwise.</summary>
    public sealed record Case(string Split, VisualItem Item, string Response, bool Correct, bool Formatted, string? Description,
        string? JudgeAnswer, bool? OracleSufficient, bool? StartModelSufficient, bool StatesAnswer)
    {
        public bool SeeThink => StartModelSufficient is not null;
        /// <summary>The case by one judge, for <see cref="ShortcutRate"/>.</summary>
        public ShortcutCase By(LsrJudge judge) => new(Correct, (judge == LsrJudge.Oracle ? OracleSufficient ?? StartModelSufficient : StartModelSufficient) == true, StatesAnswer);
    }

    List<string> Greedy(IPolicy model, IReadOnlyList<Prompt> prompts) => GreedyTexts.Of(model, prompts, domain.Tokenizer, maxTokens);

    public IReadOnlyList<Case> Cases(IPolicy policy, IPolicy judge)
    {
        var own = Greedy(policy, [.. items.Select(x => domain.FirstPass(x.Item, format, policy.Processor))]);
        if (format != ResponseFormat.SeeThink)
            return [.. items.Select((x, k) => Scored(x.Split, x.Item, own[k], null, null, null, null))];
        var described = own.Select(t => VisualPrompts.Description(t)).ToList();
        // the start model reads only the descriptions that were written; a missing one is insufficient without asking
        var asked = Enumerable.Range(0, items.Count).Where(k => !described[k].Missing).ToList();
        var answers = Greedy(judge, [.. asked.Select(k => domain.SecondPass(described[k].Description, items[k].Item.Question))]);
        var judged = asked.Select((k, i) => (k, answers[i])).ToDictionary(x => x.k, x => x.Item2);
        return [.. items.Select((x, k) =>
        {
            string? description = described[k].Missing ? null : described[k].Description;
            var answer = judged.GetValueOrDefault(k);
            return Scored(x.Split, x.Item, own[k], description, answer, domain.Sufficient(x.Item, description),
                answer is not null && AnswerGrader.Equal(Boxed.Last(answer), x.Item.Answer));
        })];
    }

    Case Scored(string split, VisualItem item, string response, string? description, string? judgeAnswer, bool? oracle, bool? startModel)
    {
        var score = VisionSr1Reward.Score(response, format, null, item.Answer);
        return new(split, item, response, score.Accuracy == 1, score.Format == 1, description, judgeAnswer, oracle, startModel,
            description is not null && ShortcutRate.States(description, item.Answer));
    }

    /// <summary>Evaluates and logs the metrics and every case as a sample.</summary>
    public void Run(IPolicy policy, IPolicy judge, long step)
    {
        var cases = Cases(policy, judge);
        var inDistribution = cases.Where(c => !domain.IsApart(c.Split)).ToList();
        List<MetricPoint> points =
        [
            new(step, MetricNames.EvalAccuracy, inDistribution.Average(c => c.Correct ? 1.0 : 0.0)),
            new(step, MetricNames.EvalFormat, cases.Average(c => c.Formatted ? 1.0 : 0.0)),
        ];
        foreach (var g in cases.GroupBy(c => c.Split))
            points.Add(new(step, MetricNames.EvalAccuracyOf(g.Key), g.Average(c => c.Correct ? 1.0 : 0.0)));
        var chosen = lsrJudge == LsrJudge.Oracle && cases.Any(c => c.OracleSufficient is not null) ? LsrJudge.Oracle : LsrJudge.StartModel;
        if (format == ResponseFormat.SeeThink)
        {
            ShortcutStats By(LsrJudge j, IEnumerable<Case> of) => ShortcutRate.Of([.. of.Select(c => c.By(j))]);
            points.Add(new(step, MetricNames.EvalLsr, By(chosen, inDistribution).Lsr));
            if (cases.Any(c => c.OracleSufficient is not null)) points.Add(new(step, MetricNames.EvalLsrOracle, By(LsrJudge.Oracle, inDistribution).Lsr));
            points.Add(new(step, MetricNames.EvalLsrStartModel, By(LsrJudge.StartModel, inDistribution).Lsr));
            points.Add(new(step, MetricNames.EvalDescriptionStatesAnswer, By(chosen, inDistribution).StatesAnswerRate));
            points.Add(new(step, MetricNames.EvalDescriptionMissingFrac, cases.Average(c => c.Description is null ? 1.0 : 0.0)));
            foreach (var g in cases.GroupBy(c => c.Split))
                points.Add(new(step, MetricNames.EvalLsrOf(g.Key), By(chosen, g).Lsr));
        }
        log.Metrics(points);
        log.Samples([.. cases.Select(c => new SampleRecord(step, SampleRole.Eval, c.Item.Question, c.Response, c.Correct ? 1 : 0, c.Correct,
            SampleExtras.Write(new VisualEvalExtra(c.Split, c.Item.Answer, c.Item.Image, c.Description, c.Item.Truth, c.JudgeAnswer,
                c.SeeThink ? c.Correct && !c.By(chosen).DescriptionSufficient : null)
            { OracleSufficient = c.OracleSufficient, StartModelSufficient = c.StartModelSufficient })))]);
    }
}
