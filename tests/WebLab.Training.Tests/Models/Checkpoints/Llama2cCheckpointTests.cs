// Llama2cCheckpoint: the header of stories260K.bin, the HF names and shapes, and the wq/wk rotate-half permutation.
using WebLab.Training.Models.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Checkpoints;

public sealed class Llama2cCheckpointTests
{
    [Fact]
    public void Stories260k_header_becomes_the_expected_config()
    {
        var (config, _) = Llama2cCheckpoint.Load(Fixtures.Path("stories260k/stories260K.bin"));

        Assert.Equal(64, config.HiddenSize);
        Assert.Equal(172, config.IntermediateSize);
        Assert.Equal(5, config.NumLayers);
        Assert.Equal(8, config.NumHeads);
        Assert.Equal(4, config.NumKvHeads);
        Assert.Equal(512, config.VocabSize);
        Assert.Equal(512, config.MaxPositions);
        Assert.True(config.TieWordEmbeddings);
        Assert.Equal(10000.0, config.RopeTheta);
        Assert.Equal(1e-5, config.RmsNormEps);
        Assert.Equal(1, config.BosTokenId);
        Assert.Equal([2], config.EosTokenIds!);
    }

    [Fact]
    public void Stories260k_state_dict_has_hugging_face_names_and_shapes()
    {
        var (_, state) = Llama2cCheckpoint.Load(Fixtures.Path("stories260k/stories260K.bin"));

        Assert.Equal(2 + 5 * 9, state.Count);   // embed, final norm, 9 per layer; no lm_head (tied)
        Assert.DoesNotContain("lm_head.weight", state.Keys);
        Assert.Equal(new long[] { 512, 64 }, state["model.embed_tokens.weight"].shape);
        Assert.Equal(new long[] { 64 }, state["model.norm.weight"].shape);
        Assert.Equal(new long[] { 64, 64 }, state["model.layers.4.self_attn.q_proj.weight"].shape);
        Assert.Equal(new long[] { 32, 64 }, state["model.layers.4.self_attn.k_proj.weight"].shape);
        Assert.Equal(new long[] { 32, 64 }, state["model.layers.4.self_attn.v_proj.weight"].shape);
        Assert.Equal(new long[] { 64, 64 }, state["model.layers.4.self_attn.o_proj.weight"].shape);
        Assert.Equal(new long[] { 172, 64 }, state["model.layers.4.mlp.gate_proj.weight"].shape);
        Assert.Equal(new long[] { 172, 64 }, state["model.layers.4.mlp.up_proj.weight"].shape);
        Assert.Equal(new long[] { 64, 172 }, state["model.layers.4.mlp.down_proj.weight"].shape);
        Assert.Equal(new long[] { 64 }, state["model.layers.0.input_layernorm.weight"].shape);
        Assert.Equal(new long[] { 64 }, state["model.layers.0.post_attention_layernorm.weight"].shape);
    }

    [Fact]
    public void Stories260k_weights_sit_at_their_file_offsets()
    {
        var path = Fixtures.Path("stories260k/stories260K.bin");
        var (_, state) = Llama2cCheckpoint.Load(path);
        var floats = File.ReadAllBytes(path)[28..];
        float At(long index) => BitConverter.ToSingle(floats, (int)(4 * index));

        // token_embedding [512, 64] first: element [3, 5] is float 3*64+5
        Assert.Equal(At(3 * 64 + 5), state["model.embed_tokens.weight"][3, 5].item<float>());
        // rms_att [5, 64] follows: layer 2, element 7
        Assert.Equal(At(512 * 64 + 2 * 64 + 7), state["model.layers.2.input_layernorm.weight"][7].item<float>());
        // wq layer 0 [64, 64] after rms_att; HF row 4 of head 0 (hd 8) is llama2c row 1 (first odd row)
        long wq = 512 * 64 + 5 * 64;
        Assert.Equal(At(wq + 1 * 64 + 9), state["model.layers.0.self_attn.q_proj.weight"][4, 9].item<float>());
        // rms_final [64] comes right before freq_cis: the last layer-stack is w3 [5, 172, 64]
        long rmsFinal = 512 * 64 + 5 * (64 + 64 * 64 + 2 * 32 * 64 + 64 * 64 + 64 + 3 * 172 * 64);
        Assert.Equal(At(rmsFinal + 63), state["model.norm.weight"][63].item<float>());
    }

    [Fact]
    public void Permutation_puts_even_rows_then_odd_rows_in_each_head()
    {
        // 2 heads of size 4, dim 1: rows hold their own index 0..7.
        // head 0 rows (0,1,2,3) pair as (0,1),(2,3) in llama2c; rotate-half wants pairs (r0,r2),(r1,r3) → [0,2,1,3]
        // head 1 rows (4,5,6,7) → [4,6,5,7]
        var w = arange(8, dtype: ScalarType.Float32).reshape(8, 1);

        var p = Llama2cCheckpoint.PermuteForRotateHalf(w, heads: 2);

        Assert.Equal(new float[] { 0, 2, 1, 3, 4, 6, 5, 7 }, p.reshape(-1).data<float>().ToArray());
    }

    [Fact]
    public void Permutation_moves_whole_rows()
    {
        // 1 head of size 4, dim 3: row r = [10r, 10r+1, 10r+2] → rows in order 0, 2, 1, 3
        var w = tensor(new float[] { 0, 1, 2, 10, 11, 12, 20, 21, 22, 30, 31, 32 }, new long[] { 4, 3 });

        var p = Llama2cCheckpoint.PermuteForRotateHalf(w, heads: 1);

        Assert.Equal(new float[] { 0, 1, 2, 20, 21, 22, 10, 11, 12, 30, 31, 32 }, p.reshape(-1).data<float>().ToArray());
    }

    [Fact]
    public void Permuted_weights_under_rotate_half_give_the_permuted_adjacent_pair_rope()
    {
        // run.c rotates pairs (2i, 2i+1) by angle pos * 10000^(-2i/hd); HF rotate-half rotates (i, i+hd/2) by the same
        // angle. So RoPE_hf(perm(W) x) must equal perm(RoPE_llama2c(W x)) per head, which keeps q·k unchanged.
        const int heads = 2, hd = 8, dim = 5, pos = 3;
        manual_seed(1);
        using var w = randn(heads * hd, dim);
        using var x = randn(dim);
        using var wPerm = Llama2cCheckpoint.PermuteForRotateHalf(w, heads);
        using var q = w.matmul(x);
        using var qPerm = wPerm.matmul(x);
        var adjacent = q.data<float>().ToArray();
        var half = qPerm.data<float>().ToArray();

        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < hd / 2; i++)
            {
                double angle = pos * Math.Pow(10000, -2.0 * i / hd), c = Math.Cos(angle), s = Math.Sin(angle);
                int a0 = h * hd + 2 * i, a1 = a0 + 1;                 // llama2c pair
                int h0 = h * hd + i, h1 = h0 + hd / 2;                // HF pair
                double l0 = adjacent[a0] * c - adjacent[a1] * s, l1 = adjacent[a0] * s + adjacent[a1] * c;
                double r0 = half[h0] * c - half[h1] * s, r1 = half[h1] * c + half[h0] * s;
                Assert.Equal(l0, r0, 1e-5);
                Assert.Equal(l1, r1, 1e-5);
            }
        }
    }

    [Fact]
    public void File_size_not_matching_the_header_is_reported()
    {
        using var dir = new TempFolder("weblab-l2c-");
        var path = dir.Combine("short.bin");
        File.WriteAllBytes(path, File.ReadAllBytes(Fixtures.Path("stories260k/stories260K.bin"))[..^4]);
        var ex = Assert.Throws<InvalidDataException>(() => Llama2cCheckpoint.Load(path));
        Assert.Contains("implies 1056540 bytes", ex.Message);
    }

    [Fact]
    public void Untied_checkpoint_reads_the_classifier_after_freq_cis()
    {
        // dim 4, hidden 6, 1 layer, 2 heads, 1 kv head, vocab -3 (untied), seq 2; head size 2
        int[] header = [4, 6, 1, 2, 1, -3, 2];
        int floats = 3 * 4 + (4 + 16 + 2 * 2 * 4 + 16 + 4 + 3 * 24) + 4 + 2 * 2 * 1 + 3 * 4;
        var data = Enumerable.Range(0, floats).Select(i => (float)i).ToArray();
        using var dir = new TempFolder("weblab-l2c-");
        var path = dir.Combine("untied.bin");
        File.WriteAllBytes(path, [.. header.SelectMany(BitConverter.GetBytes), .. data.SelectMany(BitConverter.GetBytes)]);
        var (config, state) = Llama2cCheckpoint.Load(path);

        Assert.False(config.TieWordEmbeddings);
        Assert.Equal(3, config.VocabSize);
        // wcls is the last 12 floats
        Assert.Equal(data[^12..], state["lm_head.weight"].reshape(-1).data<float>().ToArray());
    }
}
