// Hugging Face model folders made here at random in the layouts real checkpoints use (Llama / Qwen2, tied / untied,
// fp32 / bf16 / fp16, one file / shards): they load, run a forward pass, and save back to the same files; Qwen2's
// biases, Llama 3's rope scaling and clear refusals by name.
using System.Text.Json.Nodes;
using TorchSharp;
using WebLab.Training.Models;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.Modules;
using Xunit;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.HuggingFace;

public sealed class HfModelFolderTests : IDisposable
{
    readonly TempFolder _root = new("weblab-hf-");
    public void Dispose() => _root.Dispose();

    string Folder(TinyHfSpec spec, string name = "src")
    {
        var dir = Path.Combine(_root.Path, name);
        TinyHfFolders.Write(dir, spec);
        return dir;
    }

    static string[] Files(string dir) => Directory.GetFiles(dir, "*.safetensors*").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;

    [Theory]
    [InlineData("llama", true, "float32", null)]
    [InlineData("llama", false, "bfloat16", 20_000L)]
    [InlineData("qwen2", true, "float32", 20_000L)]
    [InlineData("qwen2", false, "bfloat16", null)]
    [InlineData("llama", false, "float16", null)]
    public void Loads_runs_and_saves_back_to_the_same_files(string family, bool tied, string dtype, long? shard)
    {
        var src = Folder(new TinyHfSpec { Family = family, Tied = tied, Dtype = dtype, MaxShardBytes = shard });
        if (shard is not null) Assert.True(Files(src).Length > 2, $"expected several shards and an index, got {string.Join(", ", Files(src))}");

        using var policy = ModelFamilies.Load(src);
        var model = Assert.IsType<LlamaForCausalLM>(policy);
        Assert.Equal(ScalarType.Float32, model.Dtype);                     // converted from the files' dtype
        Assert.Equal(tied, !model.state_dict().ContainsKey("lm_head.weight"));
        Assert.Equal(family == "qwen2", model.state_dict().ContainsKey("model.layers.0.self_attn.q_proj.bias"));

        using (NewDisposeScope())
        {
            var logits = model.forward(tensor(new long[] { 1, 2, 3, 4, 5 }).unsqueeze(0));   // [1, 5, V]
            Assert.Equal(new long[] { 1, 5, model.Config.VocabSize }, logits.shape);
            Assert.True(logits.isfinite().all().ToBoolean());
            Assert.True(logits.std().ToSingle() > 0.1f);
        }

        var back = Path.Combine(_root.Path, "back");
        LlamaLoader.SaveHfFolder(model, back, HfLayout.Of(src));
        Assert.Equal(Files(src), Files(back));
        foreach (var file in Files(src))
            Assert.True(File.ReadAllBytes(Path.Combine(src, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(back, file))), $"{file} differs after the round trip");
    }

    [Theory]
    [InlineData("qwen2", "bfloat16", 20_000L)]
    [InlineData("llama", "float32", null)]
    public void Reward_model_folders_load_and_save_back_to_the_same_files(string family, string dtype, long? shard)
    {
        var src = Folder(new TinyHfSpec { Family = family, RewardModel = true, Dtype = dtype, MaxShardBytes = shard });
        using var model = LlamaForSequenceClassification.FromHfFolder(src);
        Assert.Equal(1, model.NumLabels);
        using (NewDisposeScope())
        {
            var scores = model.Scores(tensor(new long[] { 1, 2, 3, 4, 1, 2, 0, 0 }).view(2, 4), tensor(new long[] { 4, 2 }));   // [2, 1]
            Assert.Equal(new long[] { 2, 1 }, scores.shape);
            Assert.True(scores.isfinite().all().ToBoolean());
        }
        var back = Path.Combine(_root.Path, "back");
        model.Save(back, HfLayout.Of(src));
        Assert.Equal(Files(src), Files(back));
        foreach (var file in Files(src))
            Assert.True(File.ReadAllBytes(Path.Combine(src, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(back, file))), $"{file} differs after the round trip");
        Assert.Contains($"{(family == "qwen2" ? "Qwen2" : "Llama")}ForSequenceClassification", File.ReadAllText(Path.Combine(back, "config.json")));
    }

    [Fact]
    public void Qwen2_config_without_attention_bias_gets_its_biases()
    {
        var src = Folder(new TinyHfSpec { Family = "qwen2" });
        Assert.DoesNotContain("attention_bias", File.ReadAllText(Path.Combine(src, "config.json")));
        var config = HfCheckpoint.LoadConfig(src);
        Assert.True(config.AttentionBias);
        Assert.False(LlamaConfig.FromJson("""{"model_type": "llama"}""").AttentionBias);
    }

    [Fact]
    public void Tied_embeddings_stay_one_matrix_through_a_training_step()
    {
        using var model = LlamaLoader.FromHfFolder(Folder(new TinyHfSpec { Tied = true }));
        model.train();
        var parameters = model.parameters().ToArray();
        using var optimizer = optim.AdamW(parameters, lr: 1e-2);
        Tensor before;
        using (NewDisposeScope())
        {
            before = model.state_dict()["model.embed_tokens.weight"].clone().DetachFromDisposeScope();
            var tokens = tensor(new long[] { 1, 2, 3, 4, 5, 6 }).unsqueeze(0);
            var logits = model.forward(tokens);                                                 // [1, 6, V]
            nn.functional.cross_entropy(logits[0, ..^1], tokens[0, 1..]).backward();
            optimizer.step();
        }
        var embedding = model.state_dict()["model.embed_tokens.weight"];
        Assert.False(before.Equals(embedding));                                                // it trained
        Assert.DoesNotContain("lm_head.weight", model.state_dict().Keys);
        using (NewDisposeScope())
        {
            // the output layer is the (trained) embedding: logits = h · Eᵀ, so a token's logit row moves with its embedding
            model.eval();
            var h = model.Embed(tensor(new long[] { 7 }).unsqueeze(0));
            Assert.Equal(parameters.Sum(p => p.NumberOfElements), model.state_dict().Values.Sum(t => t.NumberOfElements));
            Assert.Equal(embedding.shape, new long[] { model.Config.VocabSize, model.Config.HiddenSize });
            Assert.True(h[0, 0].allclose(embedding[7]));
        }
        before.Dispose();
    }

    [Fact]
    public void Llama3_rope_scaling_follows_the_hand_worked_rule()
    {
        // original context L 64, low 1, high 4, factor 8: wavelengths below 64/4 = 16 keep f, above 64/1 = 64 give f/8,
        // between them s = (L/λ − 1)/3 and f' = (1 − s)·f/8 + s·f
        var s = new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositions = 64 };
        double F(double wavelength) => 2 * Math.PI / wavelength;
        Assert.Equal(F(8), RotaryEmbedding.Llama3Scaled(F(8), s), 12);
        Assert.Equal(F(128) / 8, RotaryEmbedding.Llama3Scaled(F(128), s), 12);
        Assert.Equal(F(32) * 5 / 12, RotaryEmbedding.Llama3Scaled(F(32), s), 12);   // s = 1/3: (2/3)/8 + 1/3 = 5/12

        var plain = RotaryEmbedding.InverseFrequencies(8, 10000);
        var scaled = RotaryEmbedding.InverseFrequencies(8, 10000, s);
        Assert.Equal(plain[0], scaled[0]);                          // wavelength 2π: unchanged
        Assert.Equal(plain[3] / 8, scaled[3], 15);                  // wavelength 2π·10000^(3/4) ≈ 6283: divided

        using var a = LlamaLoader.FromHfFolder(Folder(new TinyHfSpec { Llama3RopeScaling = true }, "scaled"));
        using var b = LlamaLoader.FromHfFolder(Folder(new TinyHfSpec(), "plain"));
        Assert.Equal("llama3", HfCheckpoint.LoadConfig(Path.Combine(_root.Path, "scaled")).RopeScaling!.Kind);
        using var _ = NewDisposeScope();
        var tokens = tensor(Enumerable.Range(1, 40).Select(i => (long)i).ToArray()).unsqueeze(0);
        Assert.False(a.forward(tokens).allclose(b.forward(tokens), rtol: 1e-4, atol: 1e-4));   // same weights, other rotations
    }

    [Fact]
    public void Refuses_unknown_architectures_and_missing_files_by_name()
    {
        var src = Folder(new TinyHfSpec());
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(src, "config.json")))!;

        config["model_type"] = "mistral";
        File.WriteAllText(Path.Combine(src, "config.json"), config.ToJsonString());
        Assert.Contains("model_type 'mistral' is not supported", Assert.Throws<NotSupportedException>(() => ModelFamilies.Load(src)).Message);

        config["model_type"] = "llama";
        config["rope_scaling"] = new JsonObject { ["rope_type"] = "yarn", ["factor"] = 4.0 };
        File.WriteAllText(Path.Combine(src, "config.json"), config.ToJsonString());
        Assert.Contains("rope_scaling type 'yarn'", Assert.Throws<InvalidDataException>(() => ModelFamilies.Load(src)).Message);

        var reward = Folder(new TinyHfSpec { RewardModel = true }, "reward");
        Assert.Contains("is a reward model", Assert.Throws<InvalidDataException>(() => ModelFamilies.Load(reward)).Message);

        File.Delete(Path.Combine(reward, "model.safetensors"));
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", Assert.Throws<FileNotFoundException>(() => RewardModel.Load(reward, chat: WebLab.Training.Tokenizers.ChatFamily.Llama3)).Message);
        Assert.Contains("has no config.json", Assert.Throws<FileNotFoundException>(() => ModelFamilies.Load(_root.Path)).Message);
    }
}
