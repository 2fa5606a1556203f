// Win rate of a trained model against the base model on held-out prompts, AlpacaEval's way: the order the judge sees
// the two answers is random but seeded by the prompt, identical answers are ties, ties count half.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.Common;

public sealed record WinTally(int Wins, int Ties, int Losses)
{
    public int Count => Wins + Ties + Losses;
    /// <summary>(W + T/2) / n; 0.5 when nothing was compared.</summary>
    public double WinRate => Count == 0 ? 0.5 : (Wins + 0.5 * Ties) / Count;

    /// <summary>
    /// Two-sided exact sign test of wins against losses (ties dropped): the chance of a split at least this uneven if
    /// trained and base were equally good. W 5 / L 0 → 2·(1/32) = 0.0625; W 8 / L 2 → 2·(1+10+45)/1024 = 0.109; W = L → 1.
    /// </summary>
    public double SignTestP
    {
        get
        {
            int n = Wins + Losses, k = Math.Min(Wins, Losses);
            if (n == 0) return 1;
            // Σ_{i≤k} C(n,i) / 2^n, summed in log space so n in the thousands neither overflows nor underflows early
            double logTail = double.NegativeInfinity, logC = 0;                  // log C(n, 0) = 0
            for (int i = 0; i <= k; i++)
            {
                if (i > 0) logC += Math.Log(n - i + 1) - Math.Log(i);
                double hi = Math.Max(logTail, logC);
                logTail = hi + Math.Log(Math.Exp(logTail - hi) + Math.Exp(logC - hi));
            }
            return Math.Min(1, 2 * Math.Exp(logTail - n * Math.Log(2)));
        }
    }
}

/// <param name="Overall">Every split but the out-of-distribution one (<see cref="EvalSplits"/>): the headline.</param>
public sealed record WinRateResult(WinTally Overall, IReadOnlyDictionary<string, WinTally> PerSplit, IReadOnlyList<VerdictRecord> Verdicts);

public static class WinRate
{
    const int BatchSize = 128;

    /// <summary>Answers of <paramref name="model"/> to every prompt (temperature 0.01 in the paper; ≤ 0 is greedy), as rollouts.</summary>
    public static Rollout[] Answers(IPolicy model, IRlDomain domain, IReadOnlyList<EvalPrompt> prompts, double temperature, long seed)
    {
        var answers = new List<Rollout>(prompts.Count);
        var wasTraining = model.training;
        model.eval();
        foreach (var chunk in prompts.Chunk(BatchSize))
        {
            var options = new GenerationOptions { MaxNewTokens = domain.MaxAnswerTokens, Temperature = Math.Max(0, temperature), Seed = seed, StopTokens = [domain.Tokenizer.EosId] };
            var queries = chunk.Select(p => p.Prompt).ToArray();
            var solverPrompts = queries.Select(domain.SolverPrompt).ToArray();
            answers.AddRange(Rollouts.Of(queries, solverPrompts, BatchGenerator.Generate(model, solverPrompts, options, domain.Tokenizer.PadId), domain));
        }
        if (wasTraining) model.train();
        return [.. answers];
    }

    public static WinRateResult Judge(IRlDomain domain, IReadOnlyList<EvalPrompt> prompts, string[] trained, string[] baseline, long step)
    {
        // identical answers are ties without the judge; the rest go to it at once (a remote judge runs them concurrently)
        var differing = prompts.Select((p, i) => i).Where(i => trained[i] != baseline[i]).ToArray();
        var judged = domain.Judge.CompareAll([.. differing.Select(i => new PairwiseComparison(prompts[i].Prompt, trained[i], baseline[i], TrainedShownFirst(prompts[i].Prompt)))]);
        var byItem = differing.Select((item, k) => (item, judged[k])).ToDictionary(x => x.item, x => x.Item2);
        var verdicts = prompts.Select((p, i) =>
        {
            bool? trainedRight = domain.IsCorrect(p.Prompt, trained[i]), baseRight = domain.IsCorrect(p.Prompt, baseline[i]);
            var (verdict, why) = byItem.TryGetValue(i, out var v) ? v : (VerdictOutcome.Tie, IdenticalRationale(trainedRight));
            return new VerdictRecord(step, p.Split, p.Prompt, trained[i], baseline[i], TrainedShownFirst(p.Prompt), domain.Judge.Name, verdict, why,
                domain.Expected(p.Prompt), trainedRight, baseRight);
        }).ToList();
        var perSplit = verdicts.GroupBy(v => v.Split).ToDictionary(g => g.Key, g => Tally(g));
        return new(Tally(verdicts.Where(v => !EvalSplits.IsOutOfDistribution(v.Split))), perSplit, verdicts);
    }

    /// <summary>Why identical answers tie, saying whether both are right when the domain can grade them.</summary>
    public static string IdenticalRationale(bool? correct) => correct switch
    {
        true => "identical answers, both right",
        false => "identical answers, both wrong",
        null => "identical answers",
    };

    public static WinTally Tally(IEnumerable<VerdictRecord> verdicts)
    {
        var list = verdicts.ToList();
        return new(list.Count(v => v.Verdict == VerdictOutcome.Win), list.Count(v => v.Verdict == VerdictOutcome.Tie), list.Count(v => v.Verdict == VerdictOutcome.Loss));
    }

    /// <summary>A coin seeded by the prompt text (FNV-1a), stable across processes, as AlpacaEval seeds by instruction.</summary>
    public static bool TrainedShownFirst(string prompt)
    {
        uint h = 2166136261;
        foreach (var ch in prompt) h = (h ^ ch) * 16777619;
        return (h & 1) == 0;
    }

    /// <summary>eval/win_rate, eval/win_rate/&lt;split&gt;, eval/wins, eval/ties, eval/losses, eval/sign_test_p.</summary>
    public static List<MetricPoint> Metrics(WinRateResult r, long step)
    {
        var points = new List<MetricPoint>
        {
            new(step, MetricNames.EvalWinRate, r.Overall.WinRate),
            new(step, MetricNames.EvalWins, r.Overall.Wins), new(step, MetricNames.EvalTies, r.Overall.Ties), new(step, MetricNames.EvalLosses, r.Overall.Losses),
            new(step, MetricNames.EvalSignTestP, r.Overall.SignTestP),
        };
        points.AddRange(r.PerSplit.Select(kv => new MetricPoint(step, MetricNames.EvalWinRateOf(kv.Key), kv.Value.WinRate)));
        return points;
    }
}
