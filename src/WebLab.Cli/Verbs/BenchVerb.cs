// weblab bench: tokens/s of batched sampling (temperature 1) on a llama2.c checkpoint; model load and a
// short warm-up excluded; prints one JSON line.
using System.Diagnostics;
using System.Text.Json;
using WebLab.Training.Generation;
using WebLab.Training.Models.Llama;

namespace WebLab.Cli.Verbs;

public static class BenchVerb
{
    public sealed record Result(int batch, long tokens, double seconds, double tokens_per_s);

    public static int Run(Args args)
    {
        var checkpoint = args.File("llama2c");
        args.File("tokenizer"); // accepted for symmetry with generate; sampling needs no text
        var batch = args.Number("batch", 1, 1, 4096);
        var steps = args.Number("steps", 256, 1, 1_000_000);
        var device = args.Optional("device") ?? "cpu";
        args.EnsureAllUsed();
        using var model = LlamaLoader.FromLlama2c(checkpoint, device);
        Console.WriteLine(JsonSerializer.Serialize(Measure(model, batch, steps)));
        return 0;
    }

    /// <summary>B rows from BOS, N positions each (N generated tokens per row as in run.c, no early stop).</summary>
    public static Result Measure(LlamaForCausalLM model, int batch, int steps, long seed = 1)
    {
        var prompts = Enumerable.Range(0, batch).Select(_ => new[] { 1 }).ToArray();
        BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = Math.Min(8, steps), Seed = seed }, 0); // warm-up
        var clock = Stopwatch.StartNew();
        var result = BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = steps, Temperature = 1, Seed = seed }, 0);
        var seconds = clock.Elapsed.TotalSeconds;
        return new(batch, result.GeneratedTokens, Math.Round(seconds, 4), Math.Round(result.GeneratedTokens / seconds, 1));
    }
}
