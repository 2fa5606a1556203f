// `-- folders --shape llama-3.2-3b|small --out DIR [--tokenizer DIR]`: the random-weight chat folders a GPU check launches
// `lsp` on (bench/gpu-check.sh): DIR/policy (a causal LM), DIR/reward (a reward model of the same shape: Skywork-Reward-V2-
// Llama-3.2-3B's is Llama-3.2-3B's) and DIR/eval.jsonl (a few AlpacaEval-style instructions). With --tokenizer, a real
// tokenizer.json and tokenizer_config.json (Llama 3's: its vocabulary of 128,256 and its chat template) are copied in;
// without it the folders carry the tiny byte-level tokenizer and no chat template, which the chat domain refuses.
// `--shape qwen2.5-vl-3b|vl-small --out DIR [--tokenizer DIR]`: DIR/vl, a random-weight Qwen2.5-VL folder (3B: the
// released config's shapes) with Qwen2.5-VL's chat template, for vision-sr1 on the visual chat domain's built-in sample;
// --tokenizer copies a real tokenizer.json (Qwen2.5's, which has the vision tokens at their real ids).
using System.Diagnostics;
using System.Text.Json.Nodes;
using WebLab.Training.Models;

static class Folders
{
    public static int Run(string shape, string output, string? tokenizer)
    {
        if (shape is "qwen2.5-vl-3b" or "vl-small") return Vl(shape, output, tokenizer);
        TinyHfSpec spec = shape switch
        {
            // Llama-3.2-3B: 28 layers of width 3072, 24 heads over 8 KV heads, MLP 8192, tied (TinyHfFolders.Llama32_3B)
            "llama-3.2-3b" => new() { Hidden = 3072, Layers = 28, Heads = 24, KvHeads = 8, Intermediate = 8192, MaxPositions = 4096 },
            "small" => new() { Hidden = 256, Layers = 2, Heads = 4, KvHeads = 2, Intermediate = 512, MaxPositions = 4096 },
            _ => throw new ArgumentException($"--shape: llama-3.2-3b or small; got '{shape}'"),
        };
        spec = spec with { Dtype = "bfloat16", TokenizerFrom = tokenizer };
        var clock = Stopwatch.StartNew();
        TinyHfFolders.Write(Path.Combine(output, "policy"), spec with { Seed = 1 });
        Console.WriteLine($"policy written ({clock.Elapsed.TotalSeconds:F0} s)");
        TinyHfFolders.Write(Path.Combine(output, "reward"), spec with { RewardModel = true, Seed = 2 });
        Console.WriteLine($"reward model written ({clock.Elapsed.TotalSeconds:F0} s)");
        File.WriteAllLines(Path.Combine(output, "eval.jsonl"), new[] { "Name three birds.", "Explain rain to a child.", "Write a haiku about tea.", "List two prime numbers." }
            .Select((q, i) => new JsonObject { ["instruction"] = q, ["dataset"] = i % 2 == 0 ? "koala" : "vicuna" }.ToJsonString()));
        return 0;
    }

    static int Vl(string shape, string output, string? tokenizer)
    {
        var family = WebLab.Training.Models.Qwen25Vl.Qwen25VlConfig.Type;
        TinyHfSpec spec = shape == "qwen2.5-vl-3b"
            // Qwen2.5-VL-3B-Instruct's config.json: decoder 36 × 2048, 16 heads over 2, MLP 11,008, tied; tower 32 × 1280,
            // 16 heads, MLP 3,420, window 112, full attention on blocks 7, 15, 23, 31
            ? new() { Family = family, Hidden = 2048, Layers = 36, Heads = 16, KvHeads = 2, Intermediate = 11008, MaxPositions = 8192,
                Vision = new() { Depth = 32, HiddenSize = 1280, IntermediateSize = 3420, NumHeads = 16, WindowSize = 112, FullAttentionBlocks = [7, 15, 23, 31] } }
            : new() { Family = family, Hidden = 256, Layers = 2, Heads = 4, KvHeads = 2, Intermediate = 512, MaxPositions = 8192 };
        var clock = Stopwatch.StartNew();
        TinyHfFolders.Write(Path.Combine(output, "vl"), spec with { Dtype = "bfloat16", TokenizerFrom = tokenizer, ChatTemplate = WebLab.Tests.Shared.ReferenceTemplates.QwenVl, Seed = 3 });
        Console.WriteLine($"Qwen2.5-VL folder written ({clock.Elapsed.TotalSeconds:F0} s)");
        return 0;
    }
}
