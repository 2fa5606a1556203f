// LoRA adapters: the adapted model starts as the base (B = 0); a step moves only the adapters; with them off the network
// is the base (the reference of a LoRA run); a saved adapter has PEFT's files and key names and reloads to the same
// logits; a merged folder gives the adapted model's logits.
using System.Text.Json.Nodes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Models;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.Lora;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Lora;

public sealed class LoraTests : IDisposable
{
    readonly TempFolder root = new("lora");
    public void Dispose() => root.Dispose();

    static readonly LoraConfig Config = new(R: 4, Alpha: 8, Dropout: 0, LoraConfig.AllLinear);
    static LlamaForCausalLM Base() => (LlamaForCausalLM)new TinyTasksDomain().LoadBaseModel("cpu");

    static float[] Logits(IPolicy model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = tensor(new long[] { 1, 20, 21, 22, 5, 6, 7, 30 }, [2, 4]);
        var positions = arange(4, ScalarType.Int64).unsqueeze(0).expand(2, -1);
        return model.Forward(tokens, positions, null, null).flatten().data<float>().ToArray();
    }

    static Dictionary<string, float[]> Weights(LlamaForCausalLM model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().flatten().data<float>().ToArray());

    /// <summary>One AdamW step on a next-token loss over the trainable parameters.</summary>
    static void Step(LlamaForCausalLM model, IReadOnlyList<TorchSharp.Modules.Parameter> trainable)
    {
        using var optimizer = optim.AdamW(trainable, lr: 1e-2);
        using var scope = NewDisposeScope();
        model.train();
        var tokens = tensor(new long[] { 1, 20, 21, 22, 5, 6, 7, 30 }, [1, 8]);
        var logits = model.forward(tokens);                                                   // [1, 8, V]
        var loss = nn.functional.cross_entropy(logits[0, ..^1], tokens[0, 1..]);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
        model.eval();
    }

    [Fact]
    public void The_adapted_model_starts_as_the_base_and_a_step_moves_only_the_adapters()
    {
        using var model = Base();
        var before = Logits(model);
        var baseWeights = Weights(model);
        manual_seed(1);
        var trainable = LoraAdapters.Attach(model, Config);
        Assert.Equal(2 * 7 * model.Config.NumLayers, trainable.Count);                         // A and B per projection
        Assert.Equal(before, Logits(model));                                                 // B = 0: exactly the base
        Assert.All(model.parameters().Where(p => !trainable.Contains(p)), p => Assert.False(p.requires_grad));

        Step(model, trainable);
        var after = Weights(model);
        Assert.All(baseWeights, kv => Assert.Equal(kv.Value, after[kv.Key]));                // the base weights did not move
        Assert.Contains(after, kv => kv.Key.EndsWith("lora_B.weight") && kv.Value.Any(v => v != 0));
        Assert.NotEqual(before, Logits(model));

        // with the adapters off the network is the base: the reference of a LoRA run, with no second copy
        LoraAdapters.SetEnabled(model, false);
        using var reference = Base();
        Assert.Equal(Logits(reference), Logits(model));
        LoraAdapters.SetEnabled(model, true);
        Assert.NotEqual(Logits(reference), Logits(model));
    }

    [Fact]
    public void A_saved_adapter_has_pefts_files_and_keys_and_reloads_to_the_same_logits()
    {
        using var model = Base();
        manual_seed(2);
        Step(model, LoraAdapters.Attach(model, Config));
        var adapted = Logits(model);
        var dir = Path.Combine(root.Path, "adapter");
        LoraAdapters.Save(model, dir, baseModel: "tinytasks-base");

        Assert.Equal(["adapter_config.json", "adapter_model.safetensors"], Directory.GetFiles(dir).Select(Path.GetFileName).Order());
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "adapter_config.json")))!;
        Assert.Equal(("LORA", "CAUSAL_LM", 4, 8.0), ((string)config["peft_type"]!, (string)config["task_type"]!, (int)config["r"]!, (double)config["lora_alpha"]!));
        Assert.Equal(LoraConfig.AllLinear, config["target_modules"]!.AsArray().Select(t => (string)t!));
        var saved = SafeTensors.Load(Path.Combine(dir, "adapter_model.safetensors"));
        var q0a = saved["base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight"];
        var q0b = saved["base_model.model.model.layers.0.self_attn.q_proj.lora_B.weight"];
        Assert.Equal([4L, model.Config.HiddenSize], q0a.shape);                               // A [r, in]
        Assert.Equal([(long)model.Config.NumHeads * model.Config.HeadDim, 4L], q0b.shape);   // B [out, r]
        Assert.Equal(2 * 7 * model.Config.NumLayers, saved.Count);
        Assert.All(saved.Keys, k => Assert.Matches(@"^base_model\.model\.model\.layers\.\d+\.(self_attn|mlp)\.[a-z_]+_proj\.lora_[AB]\.weight$", k));
        foreach (var t in saved.Values) t.Dispose();

        using var reloaded = Base();
        LoraAdapters.Load(reloaded, dir);
        Assert.Equal(adapted, Logits(reloaded));
    }

    [Fact]
    public void A_merged_folder_gives_the_adapted_models_logits()
    {
        using var model = Base();
        manual_seed(3);
        Step(model, LoraAdapters.Attach(model, Config));
        var adapted = Logits(model);
        var dir = Path.Combine(root.Path, "merged");
        model.Save(dir);                                                                      // a Hugging Face folder, adapters folded in
        var files = SafeTensors.Load(Path.Combine(dir, "model.safetensors"));
        Assert.DoesNotContain(files.Keys, LoraAdapters.IsAdapterKey);
        foreach (var t in files.Values) t.Dispose();
        using var merged = ModelFamilies.Load(dir);
        var logits = Logits(merged);
        var scale = adapted.Max(Math.Abs);
        Assert.InRange(adapted.Zip(logits).Max(p => Math.Abs(p.First - p.Second)) / scale, 0, 1e-5);
        Assert.Null(LoraAdapters.ConfigOf(merged));                                          // a plain model: nothing attached
    }

    [Fact]
    public void Bad_adapter_folders_are_named()
    {
        using var model = Base();
        var dir = Path.Combine(root.Path, "bad");
        Directory.CreateDirectory(dir);
        Assert.Contains("not a PEFT adapter folder", Assert.Throws<FileNotFoundException>(() => LoraAdapters.Load(model, dir)).Message);
        File.WriteAllText(Path.Combine(dir, "adapter_config.json"), """{"peft_type": "IA3", "r": 4, "target_modules": ["q_proj"]}""");
        File.WriteAllBytes(Path.Combine(dir, "adapter_model.safetensors"), []);
        Assert.Contains("peft_type 'IA3', expected LORA", Assert.Throws<InvalidDataException>(() => LoraAdapters.Load(model, dir)).Message);
        Assert.Contains("no Linear layer named", Assert.Throws<ArgumentException>(() => LoraAdapters.Attach(model, Config with { TargetModules = ["c_attn"] })).Message);
    }
}
