// Periodic evaluation for RL methods: the trained model's answers against the base model's on the held-out set,
// judged pairwise; every verdict is stored. Base answers are computed once.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.Common;

public sealed class EvaluationLoop(IRlDomain domain, IPolicy baseModel, int perSplit, double temperature, int seed, IRunLog log)
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
        points.Add(new(step, MetricNames.EvalAccuracy, domain.Reward.Score(trained, model).Average(r => r >= 1.0 ? 1.0 : 0.0)));
        log.Metrics(points);
        log.Verdicts(result.Verdicts);
        log.Info($"step {step}: win rate {result.Overall.WinRate:P1} (W {result.Overall.Wins} / T {result.Overall.Ties} / L {result.Overall.Losses})");
        Last = result;
        return result;
    }
}
