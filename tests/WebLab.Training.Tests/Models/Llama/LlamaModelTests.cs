using TorchSharp;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Llama;

public class LlamaModelTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Kv_cache_decoding_gives_the_logits_of_a_full_forward(bool tied)
    {
        using var model = TinyModels.Random(seed: 3, tied);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = randint(0, 40, [3, 12], ScalarType.Int64);
        var full = model.forward(tokens); // [3, 12, V]

        // prefill 5 tokens, then feed the remaining 7 one at a time
        using var cache = model.NewCache(3, 12);
        var pos = arange(12, ScalarType.Int64).unsqueeze(0).expand(3, -1);
        var parts = new List<Tensor> { model.Forward(tokens[.., ..5], pos[.., ..5], cache, null) };
        for (int t = 5; t < 12; t++)
            parts.Add(model.Forward(tokens[.., t..(t + 1)], pos[.., t..(t + 1)], cache, null));
        var incremental = cat(parts, 1);

        var maxDiff = (full - incremental).abs().max().item<float>();
        Assert.True(maxDiff <= 1e-4, $"max |Δlogit| = {maxDiff}");
    }

    [Fact]
    public void Parameter_names_are_the_hugging_face_keys()
    {
        using var model = TinyModels.Random(tied: false);
        var names = model.state_dict().Keys.ToHashSet();
        foreach (var key in new[] {
            "model.embed_tokens.weight", "model.norm.weight", "lm_head.weight",
            "model.layers.0.self_attn.q_proj.weight", "model.layers.1.self_attn.k_proj.weight",
            "model.layers.1.self_attn.v_proj.weight", "model.layers.1.self_attn.o_proj.weight",
            "model.layers.0.mlp.gate_proj.weight", "model.layers.0.mlp.up_proj.weight", "model.layers.0.mlp.down_proj.weight",
            "model.layers.0.input_layernorm.weight", "model.layers.0.post_attention_layernorm.weight" })
            Assert.Contains(key, names);
        // 2 layers × 9 tensors + embedding + final norm + head
        Assert.Equal(2 * 9 + 3, names.Count);
    }

    [Fact]
    public void Tied_model_has_no_separate_head()
    {
        using var model = TinyModels.Random(tied: true);
        Assert.DoesNotContain("lm_head.weight", model.state_dict().Keys);
    }

    [Fact]
    public void Bad_config_is_rejected_with_a_clear_message()
    {
        var e = Assert.Throws<InvalidDataException>(() => new LlamaForCausalLM(TinyModels.Config() with { NumKvHeads = 3 }));
        Assert.Contains("num_key_value_heads", e.Message);
    }
}
