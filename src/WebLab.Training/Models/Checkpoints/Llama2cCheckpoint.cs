// Reads Karpathy's legacy llama2.c checkpoint (run.c's "version 0": 7 int32 header, then fp32 arrays) into a
// Hugging Face Llama config and state dict. wq/wk rows are permuted from llama2.c's adjacent-pair RoPE to rotate-half.
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Checkpoints;

public static class Llama2cCheckpoint
{
    const int HeaderInts = 7;

    /// <summary>
    /// Loads <paramref name="path"/> onto the CPU. Config: rope_theta 10000, rms_norm_eps 1e-5, bos 1, eos 2,
    /// max_position_embeddings = seq_len, tied embeddings unless the header's vocab_size is negative.
    /// </summary>
    public static (LlamaConfig Config, Dictionary<string, Tensor> StateDict) Load(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var (config, seqLen) = ReadHeader(stream, path);
        long expected = HeaderInts * 4L + 4L * FloatCount(config, seqLen);
        if (stream.Length != expected)
            throw new InvalidDataException($"llama2c checkpoint '{path}' is {stream.Length} bytes but its header " +
                $"(dim {config.HiddenSize}, hidden {config.IntermediateSize}, layers {config.NumLayers}, heads {config.NumHeads}/{config.NumKvHeads}, " +
                $"vocab {config.VocabSize}, seq {seqLen}, {(config.TieWordEmbeddings ? "tied" : "untied")}) implies {expected} bytes");

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            ReadWeights(stream, config, seqLen, state);
        }
        catch
        {
            foreach (var t in state.Values) t.Dispose();
            throw;
        }
        return (config, state.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// llama2.c RoPE rotates adjacent pairs (2i, 2i+1) of each head; HF rotate-half pairs (i, i + hd/2). Reordering each
    /// head's rows to [even rows..., odd rows...] makes the two equivalent:
    /// w.view(h, hd/2, 2, dim).transpose(1, 2).reshape(h*hd, dim).
    /// </summary>
    public static Tensor PermuteForRotateHalf(Tensor w, int heads)
    {
        long rows = w.shape[0], dim = w.shape[1], hd = rows / heads;
        if (rows % heads != 0 || hd % 2 != 0) throw new ArgumentException($"cannot split {rows} rows into {heads} heads of even size");
        using var scope = NewDisposeScope();
        return w.view(heads, hd / 2, 2, dim)        // [h, hd/2, 2, dim]: row 2i+j of a head at [i, j]
            .transpose(1, 2)                         // [h, 2, hd/2, dim]: evens first, then odds
            .reshape(rows, dim)                      // [h*hd, dim]
            .contiguous()
            .MoveToOuterDisposeScope();
    }

    // ----------------------------------------------------------------------------------------------------

    static (LlamaConfig Config, int SeqLen) ReadHeader(Stream stream, string path)
    {
        var bytes = new byte[HeaderInts * 4];
        if (stream.Length < bytes.Length) throw new InvalidDataException($"llama2c checkpoint '{path}' is {stream.Length} bytes, shorter than its 28-byte header");
        stream.ReadExactly(bytes);
        var h = Enumerable.Range(0, HeaderInts).Select(i => BitConverter.ToInt32(bytes, 4 * i)).ToArray();
        int dim = h[0], hidden = h[1], layers = h[2], heads = h[3], kvHeads = h[4], vocab = h[5], seqLen = h[6];
        var config = new LlamaConfig
        {
            VocabSize = Math.Abs(vocab), HiddenSize = dim, IntermediateSize = hidden, NumLayers = layers,
            NumHeads = heads, NumKvHeads = kvHeads, MaxPositions = seqLen,
            RmsNormEps = 1e-5, RopeTheta = 10000.0,
            TieWordEmbeddings = vocab > 0,   // export.py writes a negative vocab_size when a separate classifier follows
            BosTokenId = 1, EosTokenIds = [2], TorchDtype = "float32",
        };
        try { config.Validate(); }
        catch (InvalidDataException ex) { throw new InvalidDataException($"llama2c checkpoint '{path}' has an impossible header: {ex.Message}", ex); }
        if (seqLen <= 0) throw new InvalidDataException($"llama2c checkpoint '{path}' has seq_len {seqLen}");
        return (config, seqLen);
    }

    static long FloatCount(LlamaConfig c, int seqLen)
    {
        long d = c.HiddenSize, f = c.IntermediateSize, l = c.NumLayers, v = c.VocabSize, kv = (long)c.NumKvHeads * c.HeadDim;
        long perLayer = d + d * d + 2 * kv * d + d * d + d + 3 * f * d;   // rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3
        long freqCis = 2L * seqLen * (c.HeadDim / 2);
        return v * d + l * perLayer + d + freqCis + (c.TieWordEmbeddings ? 0 : v * d);
    }

    static void ReadWeights(Stream stream, LlamaConfig c, int seqLen, Dictionary<string, Tensor> state)
    {
        long d = c.HiddenSize, f = c.IntermediateSize, l = c.NumLayers, kv = (long)c.NumKvHeads * c.HeadDim;
        state["model.embed_tokens.weight"] = Read(stream, c.VocabSize, d);   // [vocab, dim]
        // llama2.c stores each kind for all layers together: [layers, ...]
        SplitLayers(state, "input_layernorm.weight", Read(stream, l, d));                                    // rms_att [L, dim]
        SplitLayers(state, "self_attn.q_proj.weight", Read(stream, l, d, d), c.NumHeads);                    // wq [L, dim, dim]
        SplitLayers(state, "self_attn.k_proj.weight", Read(stream, l, kv, d), c.NumKvHeads);                 // wk [L, kv_dim, dim]
        SplitLayers(state, "self_attn.v_proj.weight", Read(stream, l, kv, d));                               // wv [L, kv_dim, dim]
        SplitLayers(state, "self_attn.o_proj.weight", Read(stream, l, d, d));                                // wo [L, dim, dim]
        SplitLayers(state, "post_attention_layernorm.weight", Read(stream, l, d));                           // rms_ffn [L, dim]
        SplitLayers(state, "mlp.gate_proj.weight", Read(stream, l, f, d));                                   // w1 [L, hidden, dim]
        SplitLayers(state, "mlp.down_proj.weight", Read(stream, l, d, f));                                   // w2 [L, dim, hidden]
        SplitLayers(state, "mlp.up_proj.weight", Read(stream, l, f, d));                                     // w3 [L, hidden, dim]
        state["model.norm.weight"] = Read(stream, d);                                                        // rms_final [dim]
        stream.Seek(4L * 2 * seqLen * (c.HeadDim / 2), SeekOrigin.Current);                                  // skip freq_cis_real, freq_cis_imag [seq, hd/2]
        if (!c.TieWordEmbeddings) state["lm_head.weight"] = Read(stream, c.VocabSize, d);                    // wcls [vocab, dim]
    }

    static Tensor Read(Stream stream, params long[] shape)
    {
        var t = empty(shape, ScalarType.Float32);
        TensorBytes.Read(stream, t);
        return t;
    }

    /// <summary>Splits a stacked [L, ...] tensor into model.layers.{i}.{suffix}, permuting q/k rows when heads is given.</summary>
    static void SplitLayers(Dictionary<string, Tensor> state, string suffix, Tensor stacked, int? heads = null)
    {
        using (stacked)
        {
            for (int i = 0; i < stacked.shape[0]; i++)
            {
                using var layer = stacked[i];
                state[$"model.layers.{i}.{suffix}"] = heads is int h ? PermuteForRotateHalf(layer, h) : layer.clone();
            }
        }
    }
}
