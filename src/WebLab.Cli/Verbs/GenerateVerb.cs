// weblab generate: llama2.c `run` semantics on a llama2.c checkpoint — start at BOS, N counts forward
// positions (BOS's included, so N tokens follow an empty prompt), stop early when the model emits BOS, print pieces as run.c does.
using TorchSharp;
using WebLab.Training.Generation;
using WebLab.Training.Models.Llama;
using WebLab.Training.Tokenizers;

namespace WebLab.Cli.Verbs;

public static class GenerateVerb
{
    public static int Run(Args args)
    {
        var checkpoint = args.File("llama2c");
        var tokenizerPath = args.File("tokenizer");
        var temperature = args.Number("temperature", 1.0, 0.0, 100.0);
        var topP = args.Number("topp", 1.0, 1e-9, 1.0);
        var steps = args.Number("steps", 256, 1, 1_000_000);
        var seed = args.Number<long>("seed", 0, long.MinValue, long.MaxValue);
        var prompt = args.Optional("prompt");
        var device = args.Optional("device") ?? "cpu";
        args.EnsureAllUsed();
        Console.WriteLine(Generate(checkpoint, tokenizerPath, prompt, temperature, topP, steps, seed, device));
        return 0;
    }

    /// <summary>The text `run` would print (without its final newline).</summary>
    public static string Generate(string checkpoint, string tokenizerPath, string? prompt, double temperature, double topP, int steps, long seed, string device = "cpu")
    {
        using var model = LlamaLoader.FromLlama2c(checkpoint, device);
        var tokenizer = Llama2cTokenizer.Load(tokenizerPath, model.Config.VocabSize);
        var promptIds = tokenizer.Encode(prompt ?? "", bos: true);
        // run.c makes `steps` forward passes: the first (prompt length − 1) consume the prompt, each later one samples a token.
        if (promptIds.Length > steps) return tokenizer.RenderLikeRunC(promptIds[..(steps + 1)]);
        var options = new GenerationOptions
        {
            MaxNewTokens = steps - promptIds.Length + 1,
            Temperature = temperature,
            TopP = topP,
            Seed = seed,
            StopTokens = [tokenizer.BosId],
        };
        var result = BatchGenerator.Generate(model, [promptIds], options, tokenizer.PadId);
        return tokenizer.RenderLikeRunC(promptIds.Concat(result.Completions[0]));
    }
}
