// Periodic evaluation for RL methods: the trained model's answers against the base model's on the held-out set,
// judged pairwise; every verdict is stored. Base answers are computed once.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.Common;

public sealed class WinRateEvaluation(IRlDomain domain, IPolicy baseModel, int perSplit, double temperature, int seed, IRunLog log)
{
    readonly IReadOnlyList<EvalPrompt> prompts = domain.EvaluationSet(perSplit);
    string[]? baseAnswers;

    public WinRateResult? Last { get; private set; }

    public WinRateResult Run(IPolicy model, long step)
    {
        baseAnswers ??= [.. WinRate.Answers(baseModel, domain, prompts, temperature, seed).Select(a => a.Answer)];
        var trained = WinRate.Answers(model, domain, prompts, temperature, seed);
        var result = WinRate.Judge(domain, prompts, [.. trained.Select(a => a.Answer)], baseAnswers, step);
        var points = WinRate.Metrics(result, step);
        // eval/accuracy over the headline splits; the out-of-distribution split's apart (eval/accuracy/ood)
        var rewards = domain.Reward.Score(trained, model);
        var right = prompts.Select((p, i) => (Ood: EvalSplits.IsOutOfDistribution(p.Split), Right: rewards[i] >= 1.0 ? 1.0 : 0.0)).ToList();
        points.Add(new(step, MetricNames.EvalAccuracy, right.Where(r => !r.Ood).Select(r => r.Right).DefaultIfEmpty(0).Average()));
        if (right.Any(r => r.Ood)) points.Add(new(step, MetricNames.EvalAccuracy + "/" + EvalSplits.OutOfDistribution, right.Where(r => r.Ood).Average(r => r.Right)));
        log.Metrics(points);
        log.Verdicts(result.Verdicts);
        log.Info($"step {step}: win rate {result.Overall.WinRate:P1} (W {result.Overall.Wins} / T {result.Overall.Ties} / L {result.Overall.Losses})");
        Last = result;
        return result;
    }
}
