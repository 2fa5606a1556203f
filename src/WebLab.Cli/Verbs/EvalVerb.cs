// weblab eval: per-split greedy accuracy of a TinyTasks model (HF folder) as JSON, plus challenger validity.
using System.Text.Json;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Models.Llama;

namespace WebLab.Cli.Verbs;

public static class EvalVerb
{
    public static int Run(Args args)
    {
        var dir = args.Required("model");
        if (!Directory.Exists(dir)) throw new CliException($"eval: --model: no such folder '{dir}'");
        var perSplit = args.Number("per-split", TinyTaskSplits.DefaultPerSplit, 1, 600);
        var split = args.Optional("show-wrong"); // print this split's wrong answers to stderr
        args.EnsureAllUsed();
        using var model = LlamaLoader.FromHfFolder(dir);
        var acc = TinyTasksEvaluator.Accuracy(model, TinyTaskSplits.Evaluation(perSplit));
        foreach (var a in acc.Answers.Where(a => a.Split == split && !a.Correct))
            Console.Error.WriteLine($"{a.Item.Instruction} = {a.Answer}   (expected {a.Item.Answer})");
        Console.WriteLine(Report(model, acc));
        return 0;
    }

    public static string Report(LlamaForCausalLM model, TinyTasksAccuracy acc)
    {
        var challenger = TinyTasksEvaluator.ChallengerSamples(model, 200, seed: 1);
        return JsonSerializer.Serialize(new
        {
            splits = acc.PerSplit.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
            overall = Math.Round(acc.Overall, 4),
            // family splits by difficulty level 1..6 (where self-play has room to improve)
            levels = acc.Answers.Where(a => a.Split != TinyTaskSplits.EasySplit).GroupBy(a => a.Item.Level).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key.ToString(), g => Math.Round(g.Average(a => a.Correct ? 1.0 : 0.0), 4)),
            items = acc.Answers.Count,
            challenger_valid_frac = Math.Round(challenger.Average(c => c.Valid ? 1.0 : 0.0), 4),
        }, new JsonSerializerOptions { WriteIndented = true });
    }
}
