// HfCheckpoint: a Hugging Face folder round trip, and loading a sharded folder through model.safetensors.index.json.
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using Xunit;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Checkpoints;

public sealed class HfCheckpointTests : IDisposable
{
    readonly TempFolder _dir = new("weblab-hf-");

    public void Dispose() => _dir.Dispose();

    static readonly LlamaConfig Tiny = new()
    {
        VocabSize = 32, HiddenSize = 16, IntermediateSize = 24, NumLayers = 2, NumHeads = 4, NumKvHeads = 2,
        TieWordEmbeddings = false, BosTokenId = 1, EosTokenIds = [2],
    };

    /// <summary>Every HF Llama parameter of <paramref name="c"/>, with random values.</summary>
    static Dictionary<string, Tensor> RandomStateDict(LlamaConfig c)
    {
        long d = c.HiddenSize, f = c.IntermediateSize, kv = c.NumKvHeads * c.HeadDim;
        var s = new Dictionary<string, Tensor> { ["model.embed_tokens.weight"] = randn(c.VocabSize, d), ["model.norm.weight"] = randn(d) };
        for (int i = 0; i < c.NumLayers; i++)
        {
            var p = $"model.layers.{i}.";
            s[p + "self_attn.q_proj.weight"] = randn(d, d);
            s[p + "self_attn.k_proj.weight"] = randn(kv, d);
            s[p + "self_attn.v_proj.weight"] = randn(kv, d);
            s[p + "self_attn.o_proj.weight"] = randn(d, d);
            s[p + "mlp.gate_proj.weight"] = randn(f, d);
            s[p + "mlp.up_proj.weight"] = randn(f, d);
            s[p + "mlp.down_proj.weight"] = randn(d, f);
            s[p + "input_layernorm.weight"] = randn(d);
            s[p + "post_attention_layernorm.weight"] = randn(d);
        }
        if (!c.TieWordEmbeddings) s["lm_head.weight"] = randn(c.VocabSize, d);
        return s;
    }

    [Fact]
    public void Folder_round_trip_keeps_config_tensors_and_extra_files()
    {
        var state = RandomStateDict(Tiny);
        HfCheckpoint.Save(_dir.Path, Tiny, state, tokenizerJson: "{\"model\":{}}",
            extraFiles: new Dictionary<string, string> { ["generation_config.json"] = "{}" });

        var config = HfCheckpoint.LoadConfig(_dir.Path);
        Assert.Equal(Tiny with { EosTokenIds = null }, config with { EosTokenIds = null });
        Assert.Equal(Tiny.EosTokenIds!, config.EosTokenIds!);
        var loaded = HfCheckpoint.LoadStateDict(_dir.Path);
        Assert.Equal(state.Keys.Order(StringComparer.Ordinal), loaded.Keys);
        foreach (var (name, t) in state) Assert.True(t.Equals(loaded[name]), name);
        Assert.Equal("{\"model\":{}}", File.ReadAllText(Path.Combine(_dir.Path, "tokenizer.json")));
        Assert.True(File.Exists(Path.Combine(_dir.Path, "generation_config.json")));
        Assert.Equal("pt", SafeTensors.LoadMetadata(Path.Combine(_dir.Path, "model.safetensors"))["format"]);
    }

    [Fact]
    public void Config_json_uses_hugging_face_names()
    {
        HfCheckpoint.Save(_dir.Path, Tiny, RandomStateDict(Tiny));
        var json = File.ReadAllText(Path.Combine(_dir.Path, "config.json"));
        Assert.Contains("\"hidden_size\": 16", json);
        Assert.Contains("\"num_key_value_heads\": 2", json);
        Assert.Contains("\"tie_word_embeddings\": false", json);
    }

    [Fact]
    public void Sharded_folder_loads_through_the_index_weight_map()
    {
        var state = RandomStateDict(Tiny);
        var names = state.Keys.Order(StringComparer.Ordinal).ToArray();
        var shards = new[] { "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors" };
        var map = names.Select((n, i) => (Name: n, Shard: shards[i % 2])).ToArray();
        foreach (var shard in shards)
            SafeTensors.Save(Path.Combine(_dir.Path, shard), map.Where(m => m.Shard == shard).ToDictionary(m => m.Name, m => state[m.Name]));
        var weightMap = string.Join(",", map.Select(m => $"\"{m.Name}\":\"{m.Shard}\""));
        File.WriteAllText(Path.Combine(_dir.Path, "model.safetensors.index.json"), $"{{\"metadata\":{{\"total_size\":0}},\"weight_map\":{{{weightMap}}}}}");

        var loaded = HfCheckpoint.LoadStateDict(_dir.Path);

        Assert.Equal(names, loaded.Keys);
        foreach (var (name, t) in state) Assert.True(t.Equals(loaded[name]), name);
    }

    [Fact]
    public void Sharded_folder_missing_a_tensor_is_reported()
    {
        SafeTensors.Save(Path.Combine(_dir.Path, "a.safetensors"), new Dictionary<string, Tensor> { ["x"] = ones(2) });
        File.WriteAllText(Path.Combine(_dir.Path, "model.safetensors.index.json"), "{\"weight_map\":{\"x\":\"a.safetensors\",\"y\":\"a.safetensors\"}}");

        var ex = Assert.Throws<InvalidDataException>(() => HfCheckpoint.LoadStateDict(_dir.Path));
        Assert.Contains("'y'", ex.Message);
    }

    [Fact]
    public void Folder_without_weights_is_reported()
    {
        var ex = Assert.Throws<FileNotFoundException>(() => HfCheckpoint.LoadStateDict(_dir.Path));
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", ex.Message);
    }
}
