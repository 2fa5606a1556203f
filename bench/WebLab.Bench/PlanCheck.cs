// `-- plan-check [--fixtures DIR] [--layers L]`: the memory plan against what one `lsp` iteration holds, on a ~0.5B random
// Llama-shaped chat policy (Llama 3's real tokenizer and chat template, so Box 1, Box 3 and the vocabulary are the real
// lengths) and a small random reward model, for fp32, bf16-mixed, bf16-mixed with activation checkpointing, and LoRA.
// Each variant runs in a child process (`-- plan-check-probe DIR VARIANT`) through the lab's own path: RunSpec.Build →
// the configured chat domain → RunPlans for the plan, RlRun.Start for the models (policy, reference, opponent, reward
// model), then one SelfPlayRecipe iteration (Play: the Challenger's queries, the Solver's answers, the reward model's
// scores and Box 3's verdicts; Update: the loss, its backward and AdamW's step).
// Measured: Linux's resident high-water mark (VmHWM), reset after the models are loaded (writing 5 to
// /proc/self/clear_refs), so loading's transients (a file read beside the tensors it fills) do not count; the peak is
// VmHWM minus the resident memory of the warm process before any model loads (the .NET runtime and libtorch); before
// each reading glibc hands back what was freed (malloc_trim), as a caching allocator would reuse it.
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Models;
using WebLab.Training.Models.Lora;
using static TorchSharp.torch;

static class PlanCheck
{
    /// <summary>The variants the issue names, as the API writes their options.</summary>
    static readonly (string Name, JsonObject Options)[] Variants =
    [
        ("fp32", new JsonObject { ["precision"] = "Fp32" }),
        ("bf16-mixed", new JsonObject { ["precision"] = "Bf16Mixed" }),
        ("bf16-mixed + checkpointing", new JsonObject { ["precision"] = "Bf16Mixed", ["activationCheckpointing"] = true }),
        ("LoRA r16 (bf16-mixed)", new JsonObject { ["precision"] = "Bf16Mixed", ["adapter"] = "Lora" }),
    ];

    /// <summary>The policy: ~0.5B at Llama 3's vocabulary (131M of it the tied embedding), 24 layers of width 1024.</summary>
    internal static TinyHfSpec Policy(string tokenizers, int layers) => new()
    {
        Family = "llama", Hidden = 1024, Layers = layers, Heads = 16, KvHeads = 8, Intermediate = 4096, MaxPositions = 4096,
        Dtype = "bfloat16", TokenizerFrom = tokenizers, Seed = 1,
    };

    internal static TinyHfSpec Reward(string tokenizers) => new()
    {
        Family = "llama", RewardModel = true, Hidden = 256, Layers = 2, Heads = 4, KvHeads = 2, Intermediate = 512, MaxPositions = 4096,
        Dtype = "bfloat16", TokenizerFrom = tokenizers, Seed = 2,
    };

    public static int Run(string fixtures, int layers, string? only = null, bool glibcDefault = false)
    {
        var tokenizers = Path.Combine(fixtures, "tokenizers", "llama3");
        if (!File.Exists(Path.Combine(tokenizers, "tokenizer.json")))
        {
            Console.Error.WriteLine($"Llama 3's tokenizer not found at {tokenizers}; pass --fixtures DIR or set WEBLAB_FIXTURES");
            return 2;
        }
        var dir = Directory.CreateTempSubdirectory("weblab-plan-check-").FullName;
        try
        {
            var clock = Stopwatch.StartNew();
            TinyHfFolders.Write(Path.Combine(dir, "policy"), Policy(tokenizers, layers));
            TinyHfFolders.Write(Path.Combine(dir, "reward"), Reward(tokenizers));
            File.WriteAllText(Path.Combine(dir, "eval.txt"), "Name three birds.\n");
            Console.Error.WriteLine($"folders written in {clock.Elapsed.TotalSeconds:F0} s");
            Console.WriteLine("| `lsp` iteration, ~0.5B policy | plan: weights | gradients | optimizer | frozen | activations | cache | **plan peak** | measured: after loading | rollouts | update | **measured peak** | plan / measured | seconds |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var (name, _) in Variants.Where(v => only is null || v.Name.StartsWith(only, StringComparison.OrdinalIgnoreCase)))
            {
                var psi = new ProcessStartInfo("dotnet", [typeof(PlanCheck).Assembly.Location, "plan-check-probe", dir, name]) { RedirectStandardOutput = true };
                // glibc hands large freed blocks back at once (a fixed mmap threshold; by default it rises to 32 MiB after
                // the first frees, and tensors then come from a heap that keeps what was freed), so the resident set
                // follows the tensors that are alive, as a GPU allocator's "allocated" does, not what the heap kept
                if (!glibcDefault)
                    foreach (var (k, v) in new[] { ("MALLOC_MMAP_THRESHOLD_", "131072"), ("MALLOC_TRIM_THRESHOLD_", "131072"), ("MALLOC_ARENA_MAX", "2") })
                        psi.Environment[k] = v;
                using var p = Process.Start(psi)!;
                var line = p.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
                p.WaitForExit();
                if (p.ExitCode != 0) { Console.WriteLine($"| {name} | failed (exit code {p.ExitCode}) |"); continue; }
                var r = JsonNode.Parse(line)!.AsObject();
                double G(string k) => (double)r[k]! / (1L << 30);
                double measured = Math.Max(G("rollouts"), G("update"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {G("weights"):F2} | {G("gradients"):F2} | {G("optimizer"):F2} | {G("frozen"):F2} | {G("activations"):F2} | {G("cache"):F2} | **{G("plan"):F2}** | {G("loaded"):F2} | {G("rollouts"):F2} | {G("update"):F2} | **{measured:F2}** | {100 * G("plan") / measured:F0}% | {(double)r["seconds"]!:F0} |"));
            }
            Console.WriteLine($"\nGiB; policy {layers} layers × 1024 (MLP 4096, 16 heads over 8 KV heads), vocabulary 128,256 (Llama 3's tokenizer), tied; reward model 2 × 256; N 2 queries × G 2 answers, queries ≤ 32 tokens, answers ≤ 32, Box 3 verdicts ≤ 16; {Environment.ProcessorCount} threads; " + (glibcDefault ? "glibc's default allocator settings." : "glibc returning freed blocks of 128 KiB and more (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ 131072, MALLOC_ARENA_MAX 2)."));
            return 0;
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The child: prints one JSON line with the plan's parts and the measured peaks (bytes over the warm process).</summary>
    public static int Probe(string dir, string variant)
    {
        using (NewDisposeScope()) { var x = randn(64, 64); x.matmul(x).sum().item<float>(); }   // libtorch loaded and warm
        var overrides = new JsonObject
        {
            ["domain"] = "chat", ["model"] = Path.Combine(dir, "policy"), ["rewardModel"] = Path.Combine(dir, "reward"), ["evalSet"] = Path.Combine(dir, "eval.txt"),
            ["queries"] = 2, ["answers"] = 2, ["maxQueryTokens"] = 32, ["maxAnswerTokens"] = 32, ["qualityMaxTokens"] = 16,
            ["steps"] = 1, ["evalEvery"] = 1, ["evalPerSplit"] = 1, ["checkpointEvery"] = 0, ["threads"] = Environment.ProcessorCount,
        };
        foreach (var (k, v) in Variants.Single(x => x.Name == variant).Options) overrides[k] = v?.DeepClone();
        var spec = RunSpec.Build(MethodCatalog.Default.Get("lsp"), null, overrides, DomainCatalog.Default);
        var o = (SelfPlayOptions)spec.Options;
        var domain = spec.ConfiguredDomain(DomainCatalog.Default, "cpu")!;
        var plan = RunPlans.Of(spec, domain, "cpu")!;
        set_num_threads(o.Threads);

        GC.Collect();
        malloc_trim(0);
        long warm = Status("VmRSS");
        var runDir = Path.Combine(dir, "run-" + Environment.ProcessId);
        Directory.CreateDirectory(runDir);
        var log = new NullRunLog();
        using var run = RlRun.Start(new ExperimentContext(1, o, runDir, "cpu", null, log, Domain: domain), o);
        using var optimizer = optim.AdamW(run.Policy.parameters().Where(p => p.requires_grad), lr: o.LearningRate);   // as RlLoop
        run.Policy.train();
        var recipe = new SelfPlayRecipe(o, withQuality: true, run.Domain, run.Policy, run.Reference, log);
        GC.Collect();
        malloc_trim(0);                                                       // what loading freed goes back to the system
        ResetPeak();
        long loaded = Status("VmRSS");

        var clock = Stopwatch.StartNew();
        long rollouts, update;
        using (NewDisposeScope())                                             // one iteration, as SelfPlayRecipe.Iteration
        {
            LoraAdapters.SeedStep(run.Policy, RolloutSeed.At(o.Seed, 1));
            var batch = recipe.Play(1);
            rollouts = Status("VmHWM");
            ResetPeak();
            recipe.Update(1, batch, optimizer, clock);
            update = Status("VmHWM");
        }
        Console.WriteLine(new JsonObject
        {
            ["weights"] = plan.Weights, ["gradients"] = plan.Gradients, ["optimizer"] = plan.Optimizer, ["frozen"] = plan.Frozen,
            ["activations"] = plan.Activations, ["cache"] = plan.Cache, ["plan"] = plan.Total,
            ["loaded"] = loaded - warm, ["rollouts"] = rollouts - warm, ["update"] = update - warm, ["seconds"] = clock.Elapsed.TotalSeconds,
        }.ToJsonString());
        return 0;
    }

    [System.Runtime.InteropServices.DllImport("libc")] static extern int malloc_trim(nuint pad);

    /// <summary>Resets VmHWM to the current resident set (Linux 4.0+).</summary>
    static void ResetPeak() => File.WriteAllText("/proc/self/clear_refs", "5");

    static long Status(string key) => WebLab.Training.Runtime.DeviceMemory.ProcStatus(key) ?? throw new IOException($"/proc/self/status has no {key}");
}
