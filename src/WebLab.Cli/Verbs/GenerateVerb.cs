// weblab generate: llama2.c `run` semantics on a llama2.c checkpoint — start at BOS, N counts forward
// positions (BOS's included, so N tokens follow an empty prompt), stop early when the model emits BOS, print pieces as run.c does.
// With --model, a Hugging Face folder of any family the lab loads: the prompt as text, or in the folder's chat template
// (--chat), with an image for a vision-language model (--image, widened to the processor's token count); it prints the
// completion and stops at the template's end-of-turn tokens.
using TorchSharp;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Tokenizers;

namespace WebLab.Cli.Verbs;

public static class GenerateVerb
{
    public static int Run(Args args)
    {
        if (args.Optional("model") is { } modelDir) return RunHf(args, modelDir);
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

    static int RunHf(Args args, string modelDir)
    {
        var prompt = args.Required("prompt");
        var image = args.Optional("image");
        var chat = (args.Optional("chat") ?? "false") switch { "true" => true, "false" => false, var v => throw new CliException($"generate: --chat must be true or false, got '{v}'") };
        var maxTokens = args.Number("max-tokens", 64, 1, 100_000);
        var temperature = args.Number("temperature", 0.0, 0.0, 100.0);
        var seed = args.Number<long>("seed", 0, long.MinValue, long.MaxValue);
        var device = args.Optional("device") ?? "cpu";
        args.EnsureAllUsed();
        if (!Directory.Exists(modelDir)) throw new CliException($"generate: --model: no folder at '{modelDir}'");
        if (image is not null && !File.Exists(image)) throw new CliException($"generate: --image: no such file '{image}'");
        Console.WriteLine(GenerateHf(modelDir, prompt, image is null ? null : Path.GetFullPath(image), chat, maxTokens, temperature, seed, device));
        return 0;
    }

    /// <summary>The completion of <paramref name="prompt"/> by the folder's model (greedy at temperature 0).</summary>
    public static string GenerateHf(string modelDir, string prompt, string? image, bool chat, int maxTokens, double temperature = 0, long seed = 0, string device = "cpu")
    {
        var tokenizer = HfTokenizer.FromFolder(modelDir);
        using var model = ModelFamilies.Load(modelDir, device);
        string text;
        IReadOnlyList<int> stops;
        if (chat)
        {
            var template = tokenizer.Chat ?? throw new CliException($"generate: --chat: {tokenizer.ChatUnavailableReason}");
            text = template.Render([new ChatMessage("user", prompt, image is null ? 0 : 1)]);
            stops = template.StopTokens.Where(t => tokenizer.AddedTokens.ContainsKey(t)).Select(tokenizer.TokenId).ToList();
        }
        else
        {
            text = image is null ? prompt : ChatTemplate.ImageMark + prompt;
            stops = [tokenizer.EosId];
        }
        var ids = tokenizer.Encode(text);
        var input = image is null ? Prompt.Text(ids) : Prompt.WithImages(ids, tokenizer.TokenId(ChatTemplate.ImagePad), [image], model.Processor);
        var options = new GenerationOptions { MaxNewTokens = maxTokens, Temperature = temperature, Seed = seed, StopTokens = [.. stops] };
        var result = BatchGenerator.Generate(model, [input], options, tokenizer.PadId);
        return tokenizer.Decode(result.Completions[0].Where(t => !stops.Contains(t)));
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
