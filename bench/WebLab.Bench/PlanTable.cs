// `-- plan`: the memory plan of the papers' settings on 24, 48, 80 and 141 GiB cards, as the lab works it out before a
// launch. LSP and its GRPO baseline go through the lab's own path (RunSpec → the chat domain → RunPlans) on folders
// holding only the config.json of Llama-3.2-3B's shape (policy, with Llama 3's tokenizer from the fixtures) and
// Skywork-Reward-V2-Llama-3.2-3B's (reward model).
// Vision-SR1 has no Qwen2.5-VL family in this build yet, so its row is MemoryPlan on Qwen2.5-VL-3B's text shape plus a
// vision tower of about 0.67B parameters (32 blocks of width 1280, the merger), with the public code's batch.
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;

static class PlanTable
{
    static readonly int[] Cards = [24, 48, 80, 141];

    public static void Print()
    {
        var dir = Directory.CreateTempSubdirectory("weblab-plan-").FullName;
        try
        {
            string policy = TinyHfFolders.ShapeOnly(Path.Combine(dir, "policy"), TinyHfFolders.Llama32_3B),
                reward = TinyHfFolders.ShapeOnly(Path.Combine(dir, "reward"), TinyHfFolders.Llama32_3B, rewardModel: true), evalSet = Path.Combine(dir, "eval.txt");
            File.WriteAllText(evalSet, "Name three birds.\n");
            // Llama 3's tokenizer and chat template beside the policy's shape, when the fixtures have them: Box 1 and Box 3
            // are then counted in its tokens (without, at about four characters a token)
            var tokenizer = Path.Combine(Environment.GetEnvironmentVariable("WEBLAB_FIXTURES") ?? Path.Combine("..", "shared", "fixtures"), "tokenizers", "llama3");
            foreach (var file in new[] { "tokenizer.json", "tokenizer_config.json" })
                if (File.Exists(Path.Combine(tokenizer, file))) File.Copy(Path.Combine(tokenizer, file), Path.Combine(policy, file));
            Console.WriteLine("| setting | options | weights | gradients | optimizer | frozen | activations | rollout cache | peak | " + string.Join(" | ", Cards.Select(c => $"{c} GiB")) + " |");
            Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|" + string.Concat(Cards.Select(_ => ":-:|")));
            // N 8 queries (Table 1), G 8 (not given; the lab's default), a query up to 128 tokens and an answer up to 256 (not given)
            var chat = new JsonObject { ["domain"] = "chat", ["model"] = policy, ["rewardModel"] = reward, ["evalSet"] = evalSet, ["queries"] = 8, ["answers"] = 8 };
            foreach (var (options, label) in Variants())
            {
                var overrides = (JsonObject)chat.DeepClone();
                foreach (var (k, v) in options) overrides[k] = v?.DeepClone();
                Row("LSP: Llama-3.2-3B, 3B reward model, N 8 × G 8 in one update", label, Plan("lsp", overrides));
            }
            foreach (var (options, label) in Variants())
            {
                var overrides = (JsonObject)chat.DeepClone();
                foreach (var (k, v) in options) overrides[k] = v?.DeepClone();
                overrides["microBatch"] = 4;                                       // Table 1: batch 4 (with gradient accumulation)
                Row("LSP: the same, micro-batches of 4", label, Plan("lsp", overrides));
            }
            var grpo = new JsonObject { ["domain"] = "chat", ["model"] = policy, ["rewardModel"] = reward, ["evalSet"] = evalSet, ["prompts"] = 8, ["answers"] = 8, ["promptSet"] = new JsonArray("Name three birds again.") };
            foreach (var (options, label) in Variants())
            {
                var overrides = (JsonObject)grpo.DeepClone();
                foreach (var (k, v) in options) overrides[k] = v?.DeepClone();
                overrides["microBatch"] = 4;                                       // Table 1: batch 4 (with gradient accumulation)
                Row("GRPO: the same models, N 8 × G 8, micro-batches of 4", label, Plan("grpo", overrides));
            }
            // Vision-SR1 (EasyR1's config): 1024 sequences an optimiser step, responses up to 2048 tokens (+ ~512 of prompt and image)
            var qwen = new LlamaConfig { VocabSize = 151_936, HiddenSize = 2048, IntermediateSize = 11_008, NumLayers = 36, NumHeads = 16, NumKvHeads = 2, MaxPositions = 128_000, TieWordEmbeddings = true, AttentionBias = true };
            foreach (var (bf16, rank, checkpointing, label) in new[] { (false, 0, false, "Fp32, Full"), (true, 0, false, "Bf16Mixed, Full"), (true, 16, false, "Bf16Mixed, Lora r16"), (true, 16, true, "Bf16Mixed, Lora r16, checkpointing") })
            {
                var plan = MemoryPlan.Of(new PlannedNetwork(qwen, 670_000_000), new PlanSettings(bf16, rank, Training(), rank > 0 ? 0 : 1, [], 1024, 2560, 1024, 2560, checkpointing, LoraDropout: rank > 0 ? 0.05 : 0));
                Row("Vision-SR1: Qwen2.5-VL-3B shape, 1024 sequences × 2560 in one update", label, plan);
            }
            foreach (var (bf16, rank, checkpointing, label) in new[] { (true, 0, false, "Bf16Mixed, Full"), (true, 0, true, "Bf16Mixed, Full, checkpointing"), (true, 16, true, "Bf16Mixed, Lora r16, checkpointing") })
            {
                var plan = MemoryPlan.Of(new PlannedNetwork(qwen, 670_000_000), new PlanSettings(bf16, rank, Training(), rank > 0 ? 0 : 1, [], 8, 2560, 64, 2560, checkpointing, LoraDropout: rank > 0 ? 0.05 : 0));
                Row("Vision-SR1: the same, micro-batches of 8, rollout batch 64", label, plan);
            }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    static IReadOnlyCollection<string> Training() => WebLab.Training.Models.Lora.LoraConfig.AllLinear.ToArray();

    static IEnumerable<(JsonObject Options, string Label)> Variants() =>
    [
        (new JsonObject { ["precision"] = "Fp32" }, "Fp32, Full"),
        (new JsonObject { ["precision"] = "Bf16Mixed" }, "Bf16Mixed, Full"),
        (new JsonObject { ["precision"] = "Fp32", ["adapter"] = "Lora" }, "Fp32, Lora r16"),
        (new JsonObject { ["precision"] = "Bf16Mixed", ["adapter"] = "Lora" }, "Bf16Mixed, Lora r16"),
        (new JsonObject { ["precision"] = "Bf16Mixed", ["adapter"] = "Lora", ["activationCheckpointing"] = true }, "Bf16Mixed, Lora r16, checkpointing"),
    ];

    static MemoryPlan Plan(string method, JsonObject overrides)
    {
        var spec = RunSpec.Build(MethodCatalog.Default.Get(method), "tiny-cpu", overrides, DomainCatalog.Default);
        return RunPlans.Of(spec, spec.ConfiguredDomain(DomainCatalog.Default, "cuda")!, "cuda")!;
    }

    static void Row(string setting, string options, MemoryPlan p)
    {
        string G(long b) => $"{b / (double)(1L << 30):F1}";
        Console.WriteLine($"| {setting} | {options} | {G(p.Weights)} | {G(p.Gradients)} | {G(p.Optimizer)} | {G(p.Frozen)} | {G(p.Activations)} | {G(p.Cache)} | **{G(p.Total)}** | "
            + string.Join(" | ", Cards.Select(c => p.Total <= ((long)c << 30) ? "fits" : "—")) + " |");
    }
}
