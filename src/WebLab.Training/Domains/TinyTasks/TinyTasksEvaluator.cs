// Scores a TinyTasks model: greedy answers to every evaluation split (accuracy per split) and the share of
// challenger-mode outputs that parse as valid instructions.
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;

namespace WebLab.Training.Domains.TinyTasks;

/// <summary>One answered evaluation item.</summary>
public sealed record TinyTaskAnswer(string Split, TinyTaskExample Item, string Answer, bool Correct);

/// <summary>Accuracy per split (name → share correct), overall accuracy over the family splits, every answer.</summary>
public sealed record TinyTasksAccuracy(IReadOnlyDictionary<string, double> PerSplit, double Overall, IReadOnlyList<TinyTaskAnswer> Answers);

public static class TinyTasksEvaluator
{
    /// <summary>Answers fit in 12 characters + EOS; 16 leaves room for a wrong, longer answer to show.</summary>
    public const int MaxAnswerTokens = 16;
    const int BatchSize = 128;

    /// <summary>Greedy (temperature 0) answers to <paramref name="splits"/>; "overall" averages the family splits (not easy, not ood).</summary>
    public static TinyTasksAccuracy Accuracy(IPolicy model, IReadOnlyList<TinyTaskSplit> splits, double temperature = 0, long seed = 0)
    {
        var tok = TinyTasksTokenizer.Instance;
        var items = splits.SelectMany(s => s.Items.Select(i => (Split: s.Name, Item: i))).ToList();
        var answers = new List<TinyTaskAnswer>(items.Count);
        foreach (var chunk in items.Chunk(BatchSize))
        {
            var prompts = chunk.Select(c => tok.SolverPrompt(c.Item.Instruction)).ToArray();
            var options = new GenerationOptions { MaxNewTokens = MaxAnswerTokens, Temperature = temperature, Seed = seed, StopTokens = [tok.EosId] };
            var result = BatchGenerator.Generate(model, prompts, options, tok.PadId);
            for (int i = 0; i < chunk.Length; i++)
            {
                var answer = tok.DecodeCompletion(result.Completions[i]);
                answers.Add(new(chunk[i].Split, chunk[i].Item, answer, TinyTaskVerifier.IsCorrect(chunk[i].Item.Instruction, answer)));
            }
        }
        var perSplit = answers.GroupBy(a => a.Split).ToDictionary(g => g.Key, g => g.Average(a => a.Correct ? 1.0 : 0.0));
        var family = answers.Where(a => a.Split != TinyTaskSplits.EasySplit && !EvalSplits.IsOutOfDistribution(a.Split)).ToList();
        return new(perSplit, family.Count == 0 ? 0 : family.Average(a => a.Correct ? 1.0 : 0.0), answers);
    }

    /// <summary>
    /// SFT's evaluation: greedy accuracy per split (eval/accuracy/&lt;split&gt;, eval/accuracy over the family splits) and the
    /// share of 64 challenger outputs that parse (eval/challenger_valid_frac), with every answer and output as a sample.
    /// </summary>
    public static EvaluationReport Report(IPolicy model, IReadOnlyList<TinyTaskSplit> splits, long step, int seed)
    {
        var acc = Accuracy(model, splits);
        var challenger = ChallengerSamples(model, 64, seed + step);
        var points = acc.PerSplit.Select(kv => new MetricPoint(step, MetricNames.EvalAccuracyOf(kv.Key), kv.Value)).ToList();
        points.Add(new(step, MetricNames.EvalAccuracy, acc.Overall));
        points.Add(new(step, MetricNames.EvalChallengerValidFrac, challenger.Average(c => c.Valid ? 1.0 : 0.0)));
        var samples = acc.Answers.Select(a => new SampleRecord(step, SampleRole.Eval, a.Item.Instruction, a.Answer, a.Correct ? 1 : 0, a.Correct,
            SampleExtras.Write(new EvalExtra(a.Split, a.Item.Level, a.Item.Answer)))).ToList();
        samples.AddRange(challenger.Select(c => new SampleRecord(step, SampleRole.EvalChallenger, "<challenger>", c.Instruction, c.Valid ? 1 : 0, c.Valid)));
        return new(points, samples);
    }

    /// <summary>
    /// How many of <paramref name="k"/> answers sampled at <paramref name="temperature"/> are right, per item of
    /// <paramref name="splits"/> (in order): <see cref="Accuracy"/> run k times, pass j seeded <c>seed·1_000_003 + j</c>.
    /// With the greedy answers this gives the headroom RL can sharpen (pass@k vs pass@1).
    /// </summary>
    public static IReadOnlyList<(string Split, TinyTaskExample Item, int Right)> SampledRight(
        IPolicy model, IReadOnlyList<TinyTaskSplit> splits, int k, double temperature, long seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var passes = Enumerable.Range(0, k).Select(j => Accuracy(model, splits, temperature, seed * 1_000_003L + j).Answers).ToList();
        return passes[0].Select((a, i) => (a.Split, a.Item, passes.Count(p => p[i].Correct))).ToList();
    }

    /// <summary>
    /// Samples <paramref name="count"/> challenger outputs at temperature 1 (half with the family slot filled,
    /// families round-robin; half free) and returns them with whether each parses.
    /// </summary>
    public static IReadOnlyList<(string Instruction, bool Valid)> ChallengerSamples(IPolicy model, int count, long seed)
    {
        var tok = TinyTasksTokenizer.Instance;
        var families = Enumerable.Range(0, count)
            .Select(i => i % 2 == 0 ? TinyTaskFamilies.All[i / 2 % TinyTaskFamilies.All.Count].Name : null).ToArray();
        var prompts = families.Select(tok.ChallengerPrompt).ToArray();
        var options = new GenerationOptions { MaxNewTokens = TinyTaskLimits.MaxInstructionLength + 1, Temperature = 1, Seed = seed, StopTokens = [tok.EosId] };
        var result = BatchGenerator.Generate(model, prompts, options, tok.PadId);
        return families.Select((f, i) =>
        {
            var instruction = TinyTasksTokenizer.ChallengerInstruction(f, tok.DecodeCompletion(result.Completions[i]));
            return (instruction, result.Stopped[i] && TinyTaskParser.Parse(instruction).IsValid);
        }).ToList();
    }
}
