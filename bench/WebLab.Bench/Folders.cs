// `-- folders --shape llama-3.2-3b|small --out DIR [--tokenizer DIR]`: the random-weight chat folders a GPU check launches
// `lsp` on (bench/gpu-check.sh): DIR/policy (a causal LM), DIR/reward (a reward model of the same shape: Skywork-Reward-V2-
// Llama-3.2-3B's is Llama-3.2-3B's) and DIR/eval.jsonl (a few AlpacaEval-style instructions). With --tokenizer, a real
// tokenizer.json and tokenizer_config.json (Llama 3's: its vocabulary of 128,256 and its chat template) are copied in;
// without it the folders carry the tiny byte-level tokenizer and no chat template, which the chat domain refuses.
using System.Diagnostics;
using System.Text.Json.Nodes;
using WebLab.Training.Models;

static class Folders
{
    public static int Run(string shape, string output, string? tokenizer)
    {
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
}
