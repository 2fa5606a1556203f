// The memory plan worked by hand on a model small enough to count: V 10, d 4, f 8, one layer, 2 heads of 2, one KV head,
// tied embeddings. Parameters: embeddings 40; the layer's q 16, k 8, v 8, o 16, MLP 3·4·8 = 96, two norms 8 (152); the
// final norm 4: P = 196. And the plan of real runs against the models they load.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Tests.Models;

public class MemoryPlanTests
{
    static readonly PlannedNetwork Tiny = new(new LlamaConfig
    {
        VocabSize = 10, HiddenSize = 4, IntermediateSize = 8, NumLayers = 1, NumHeads = 2, NumKvHeads = 1, MaxPositions = 16, TieWordEmbeddings = true,
    });

    // 2 rows of 3 tokens: per token and layer 4d + 2d + 4kv + 2d + 2d + d + 4f + 2·H·S = 16 + 8 + 8 + 8 + 8 + 4 + 32 + 12 = 96,
    // and the final norm 2d = 8: 6 tokens · 104 values, plus the fp32 logits and log-softmax 6 · 2 · 10 · 4 = 480 bytes.
    // The cache: 2 (K, V) · 1 layer · 2 rows · 3 positions · kv 2 values.
    static PlanSettings Settings(bool bf16, int rank = 0) => new(bf16, rank, ["q_proj", "v_proj"], FrozenCopies: 2, Frozen: [], Rows: 2, Sequence: 3, RolloutRows: 2, RolloutSequence: 3);

    [Fact]
    public void Fp32_full_training_by_hand()
    {
        Assert.Equal(196, Tiny.Parameters);
        var p = MemoryPlan.Of(Tiny, Settings(bf16: false));
        Assert.Equal((196L, 784L, 784L, 1568L, 1568L), (p.Trainable, p.Weights, p.Gradients, p.Optimizer, p.Frozen));
        Assert.Equal(6 * 104 * 4 + 480, p.Activations);
        Assert.Equal(2 * 1 * 2 * 3 * 2 * 4, p.Cache);
        Assert.Equal(784 + 784 + 1568 + 1568 + 2976, p.Total);                    // the activations outweigh the cache
    }

    [Fact]
    public void Bf16_mixed_keeps_fp32_masters_and_halves_the_rest()
    {
        var p = MemoryPlan.Of(Tiny, Settings(bf16: true));
        Assert.Equal(4 * 196 + 2 * 196, p.Weights);                               // fp32 masters and their bf16 working copies
        Assert.Equal((784L, 1568L), (p.Gradients, p.Optimizer));                   // fp32 gradients and moments
        Assert.Equal(2 * 2 * 196, p.Frozen);                                       // the frozen copies in bf16
        Assert.Equal(6 * 104 * 2 + 480, p.Activations);                            // bf16 activations, fp32 logits
        Assert.Equal(48, p.Cache);
    }

    [Fact]
    public void Checkpointing_keeps_each_layers_input_and_one_layers_activations()
    {
        // one layer: its input (d = 4) and its activations (96) per token: 100 instead of 96, plus the final norm's 8
        var p = MemoryPlan.Of(Tiny, Settings(bf16: false) with { Checkpointing = true });
        Assert.Equal(6 * (4 + 96 + 8) * 4 + 480, p.Activations);
        var deep = new PlannedNetwork(Tiny.Text with { NumLayers = 10 });
        Assert.Equal(6 * (10 * 4 + 96 + 8) * 4 + 480, MemoryPlan.Of(deep, Settings(bf16: false) with { Checkpointing = true }).Activations);
        Assert.Equal(6 * (10 * 96 + 8) * 4 + 480, MemoryPlan.Of(deep, Settings(bf16: false)).Activations);
    }

    [Fact]
    public void Lora_trains_only_its_adapters_over_a_frozen_base()
    {
        // rank 1 on q (4 in + 4 out) and v (4 in + 2 out): 14 parameters
        Assert.Equal(14, Tiny.AdapterParameters(1, ["q_proj", "v_proj"]));
        var p = MemoryPlan.Of(Tiny, Settings(bf16: true, rank: 1) with { FrozenCopies = 0 });
        Assert.Equal((14L, 2 * 196 + 4 * 14L, 56L, 112L, 0L), (p.Trainable, p.Weights, p.Gradients, p.Optimizer, p.Frozen));
        Assert.Equal(6 * 104 * 2 + 480, p.Activations);                            // no dropout: the adapters read the base's input
        // with dropout each adapted projection keeps its dropped input and its mask: 2 · (4 + 4) more values a token
        var dropped = MemoryPlan.Of(Tiny, Settings(bf16: true, rank: 1) with { FrozenCopies = 0, LoraDropout = 0.05 });
        Assert.Equal(6 * (104 + 16) * 2 + 480, dropped.Activations);
    }

    [Fact]
    public void Rows_of_two_lengths_count_each_at_its_own()
    {
        // 2 rows of 3 tokens as above (2976 bytes) and 1 row of 5: per token and layer 84 + 2·H·S = 104 at S = 5, and the
        // final norm 8: 5 · 112 values · 4 bytes = 2240, plus the logits 5 · 2 · 10 · 4 = 400
        var p = MemoryPlan.Of(Tiny, Settings(bf16: false) with { Groups = [(2, 3), (1, 5)] });
        Assert.Equal(2976 + 2240 + 400, p.Activations);
    }

    [Fact]
    public void A_vision_towers_activations_by_hand()
    {
        // width 4, MLP 6, 2 heads, 3 blocks of which 1 attends over the whole image, windows of 8 patches, merge unit 4;
        // an image of 16 patches: per patch a block keeps 10·4 + 4·6 = 64 values, plus heads × segment probabilities
        // (2 · 8 on window blocks, 2 · 16 on the full one); the merger d + 12d / 4 = 16
        var v = new PlannedVision(Depth: 3, Hidden: 4, Intermediate: 6, Heads: 2, WindowPatches: 8, FullBlocks: 1, MergeUnit: 4);
        Assert.Equal(2 * (64 + 16) + (64 + 32) + 16, MemoryPlan.VisionPerPatch(v, 16, checkpointing: false));
        Assert.Equal(3 * 4 + (64 + 32) + 16, MemoryPlan.VisionPerPatch(v, 16, checkpointing: true));   // inputs, and the largest block once
        var withTower = new PlannedNetwork(Tiny.Text, 0, v);
        var text = MemoryPlan.Of(withTower, Settings(bf16: false));
        var image = MemoryPlan.Of(withTower, Settings(bf16: false) with { ImagePatches = 16 });
        Assert.Equal(2L * 16 * 272 * 4, image.Activations - text.Activations);          // 2 rows × 16 patches × 272 values × fp32
        Assert.Equal(text.Activations, MemoryPlan.Of(Tiny, Settings(bf16: false) with { ImagePatches = 16 }).Activations);   // no tower, no term
    }

    [Fact]
    public void A_qwen25_vl_folders_plan_counts_its_vision_tower()
    {
        using var folder = new TempFolder("weblab-plan-vl-");
        TinyHfFolders.Write(folder.Path, new TinyHfSpec { Family = WebLab.Training.Models.Qwen25Vl.Qwen25VlConfig.Type, Hidden = 64, Heads = 4, Intermediate = 96 });
        using var model = ModelFamilies.Load(folder.Path);
        var network = RunPlans.Network(folder.Path)!;
        Assert.Equal(model.parameters().Sum(p => p.numel()), network.Parameters);
        Assert.Equal(new PlannedVision(3, 32, 48, 2, 16, 1, 4), network.Vision);       // window 56 px = 2 × 2 merged tokens = 16 patches
    }

    [Fact]
    public void A_reward_models_plan_counts_its_score_head_not_an_output_head()
    {
        using var folder = new TempFolder("weblab-plan-rm-");
        TinyHfFolders.Write(folder.Path, new TinyHfSpec { RewardModel = true });
        using var model = LlamaForSequenceClassification.FromHfFolder(folder.Path, "cpu", "fp32");
        Assert.Equal(model.parameters().Sum(p => p.numel()), RunPlans.Network(folder.Path)!.Parameters);
    }

    [Fact]
    public void A_plan_that_fits_only_in_smaller_micro_batches_names_the_largest_that_fits()
    {
        var spec = RunSpec.Build(MethodCatalog.Default.Get("grpo"), "tiny-cpu", null, DomainCatalog.Default);
        var domain = spec.ConfiguredDomain(DomainCatalog.Default)!;
        int rows = spec.Method.MemoryShape(spec.Options).Rows;
        MemoryPlan With(int k) => RunPlans.Of(spec with { Options = ((IMicroBatched)spec.Options).WithMicroBatch(k) }, domain, "cpu")!;
        var quarter = With(rows / 4);
        Assert.True(With(rows / 2).Total > quarter.Total);                       // halving once is not enough
        var verdict = PlanVerdicts.Of(spec, domain, "cpu", quarter.Total)!;
        Assert.False(verdict.Fits);
        var change = Assert.Single(verdict.Alternatives, a => a.Fields.SequenceEqual(["microBatch"]));
        Assert.Equal(($"microBatch={rows / 4}", true, quarter.Total), (change.Change, change.Fits, change.Plan.Total));
        Assert.Contains($"microBatch={rows / 4} (", verdict.Refusal);
    }

    [Fact]
    public void Running_out_of_memory_fails_with_the_plans_figures()
    {
        var oom = new System.Runtime.InteropServices.ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.10 GiB total capacity)\nat frame 1");
        Assert.True(WebLab.Training.Runtime.OutOfMemory.Is(new InvalidOperationException("step 3 failed", oom)));
        Assert.True(WebLab.Training.Runtime.OutOfMemory.Is(new System.Runtime.InteropServices.ExternalException("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: not enough memory: you tried to allocate 4096")));
        Assert.False(WebLab.Training.Runtime.OutOfMemory.Is(new InvalidOperationException("shape mismatch")));
        var plan = MemoryPlan.Of(Tiny, Settings(bf16: false));
        var text = WebLab.Training.Runtime.OutOfMemory.Describe(oom, "cuda:0", plan, 80L << 30);
        Assert.StartsWith("out of memory on cuda:0: its plan was ", text);
        Assert.Contains($"weights {MemoryPlan.Format(plan.Weights)}", text);
        Assert.Contains("the device has 80.00 GiB", text);
        Assert.Contains("adapter=Lora", text);
        Assert.EndsWith("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.10 GiB total capacity)", text);   // libtorch's first line
    }

    [Fact]
    public void A_vision_sr1_plan_on_a_qwen25_vl_folder_counts_the_tower_and_the_image_tokens()
    {
        using var folder = new TempFolder("weblab-plan-vsr1-");
        TinyHfFolders.Write(folder.Path, new TinyHfSpec { Family = WebLab.Training.Models.Qwen25Vl.Qwen25VlConfig.Type, Hidden = 64, Heads = 4, Intermediate = 96, MaxPositions = 4096, ChatTemplate = ReferenceTemplates.QwenVl });
        var overrides = new System.Text.Json.Nodes.JsonObject { ["domain"] = "visual-chat", ["model"] = folder.Path };
        var spec = RunSpec.Build(MethodCatalog.Default.Get("vision-sr1"), "tiny-cpu", overrides, DomainCatalog.Default);
        var domain = spec.ConfiguredDomain(DomainCatalog.Default)!;
        Assert.Equal(64, domain.MaxImagePatches);                                      // the sample's 112 × 112 scenes: 8 × 8 patches
        var plan = RunPlans.Of(spec, domain, "cpu")!;
        using var model = domain.LoadBaseModel("cpu");
        Assert.Equal(model.parameters().Sum(p => p.numel()), plan.Parameters);           // the vision tower counted
        var network = RunPlans.Network(folder.Path)!;
        var shape = spec.Method.MemoryShape(spec.Options);
        // the update's rows hold each image's patches in the tower, on top of the decoder's rows (whose length counts the 16 image tokens)
        var withoutImages = MemoryPlan.Of(network, new PlanSettings(false, 0, [], 1, [], shape.Rows, domain.MaxSequence!.Value, shape.RolloutRows, domain.MaxSequence!.Value));
        Assert.Equal(withoutImages.Activations + (long)shape.Rows * 64 * MemoryPlan.VisionPerPatch(network.Vision!, 64, false) * 4, plan.Activations);
        var frame = ((WebLab.Training.Tokenizers.HfTokenizer)domain.Tokenizer).Encode(((WebLab.Training.Tokenizers.HfTokenizer)domain.Tokenizer).Chat!.Render([new("user", "", Images: 1)])).Length;
        Assert.True(domain.MaxSequence > frame + 16, "the sequence counts the image's 16 tokens");
    }

    [Theory]
    [InlineData("grpo", null)]
    [InlineData("vision-sr1", null)]
    [InlineData("sft", "tinyscenes")]
    public void A_runs_plan_counts_the_parameters_of_the_model_it_loads(string methodName, string? domainName)
    {
        var method = MethodCatalog.Default.Get(methodName);
        var overrides = domainName is null ? null : new System.Text.Json.Nodes.JsonObject { ["domain"] = domainName };
        var spec = RunSpec.Build(method, "tiny-cpu", overrides, DomainCatalog.Default);
        var domain = spec.ConfiguredDomain(DomainCatalog.Default)!;
        var plan = RunPlans.Of(spec, domain, "cpu")!;
        using var model = domain.LoadBaseModel("cpu");
        Assert.Equal(model.parameters().Sum(p => p.numel()), plan.Parameters);
    }

    [Fact]
    public void A_plan_that_does_not_fit_names_the_changes_that_would()
    {
        var method = MethodCatalog.Default.Get("grpo");
        // LoRA without dropout (on the tiny base, LoRA's dropped inputs would outweigh the weights it saves)
        var spec = RunSpec.Build(method, "tiny-cpu", new System.Text.Json.Nodes.JsonObject { ["loraDropout"] = 0.0 }, DomainCatalog.Default);
        var domain = spec.ConfiguredDomain(DomainCatalog.Default)!;
        var plan = RunPlans.Of(spec, domain, "cpu")!;
        Assert.Null(PlanVerdicts.Of(spec, domain, "cpu", plan.Total)!.Refusal);                      // exactly enough fits
        var lora = PlanVerdicts.Of(spec with { Options = (TrainingOptions)spec.Options with { Adapter = Adapter.Lora } }, domain, "cpu", null)!.Plan;
        var verdict = PlanVerdicts.Of(spec, domain, "cpu", lora.Total)!;                             // room for the LoRA run only
        Assert.False(verdict.Fits);
        Assert.Contains(verdict.Alternatives, a => a.Change == "adapter=Lora" && a.Fits);
        Assert.Contains("; it fits with ", verdict.Refusal);
        Assert.Contains("adapter=Lora (", verdict.Refusal);
        Assert.Contains("frozen networks", verdict.Refusal);
    }
}
