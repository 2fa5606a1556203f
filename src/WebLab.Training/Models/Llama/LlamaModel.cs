// A Llama-family decoder (Llama 2/3, Qwen2, llama2.c stories) in TorchSharp, in dependency order:
// attention → MLP → block → model → causal-LM head. Field names are the Hugging Face checkpoint keys,
// so a state dict from model.safetensors loads without renaming.
using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WebLab.Training.Models.Llama;

/// <summary>Grouped-query self-attention with rotary positions and an optional KV cache.</summary>
public sealed class LlamaAttention : Module
{
    readonly Linear q_proj, k_proj, v_proj, o_proj;
    readonly int heads, kvHeads, headDim;

    public LlamaAttention(LlamaConfig c) : base("self_attn")
    {
        (heads, kvHeads, headDim) = (c.NumHeads, c.NumKvHeads, c.HeadDim);
        q_proj = Linear(c.HiddenSize, heads * headDim, hasBias: c.AttentionBias);   // [nh·hd, d]
        k_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: c.AttentionBias); // [nkv·hd, d]
        v_proj = Linear(c.HiddenSize, kvHeads * headDim, hasBias: c.AttentionBias); // [nkv·hd, d]
        o_proj = Linear(heads * headDim, c.HiddenSize, hasBias: false);             // [d, nh·hd]
        RegisterComponents();
    }

    /// <param name="x">[B, T, d]</param>
    /// <param name="mask">null for plain causal attention, else a bool [B, 1, T, S] (true = attend)</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, KvCache? cache, int layer, Tensor? mask)
    {
        long b = x.shape[0], t = x.shape[1];
        var q = Projection.Apply(q_proj, x).view(b, t, heads, headDim).transpose(1, 2);   // [B, nh, T, hd]
        var k = Projection.Apply(k_proj, x).view(b, t, kvHeads, headDim).transpose(1, 2); // [B, nkv, T, hd]
        var v = Projection.Apply(v_proj, x).view(b, t, kvHeads, headDim).transpose(1, 2); // [B, nkv, T, hd]
        q = RotaryEmbedding.Apply(q, cos, sin);
        k = RotaryEmbedding.Apply(k, cos, sin);
        if (cache is not null) (k, v) = cache.Append(layer, k, v);             // [B, nkv, S, hd]

        Tensor y;
        int rep = heads / kvHeads;
        if (t == 1 && mask is null && rep > 1)
        {
            // One query per row attends to every cached key: fold the rep query heads that share a KV head
            // into the query-length axis instead of repeating K and V. [B, nkv, rep, hd]
            y = functional.scaled_dot_product_attention(q.reshape(b, kvHeads, rep, headDim), k, v, null, 0, false)
                .reshape(b, heads, 1, headDim);
        }
        else
        {
            if (rep > 1) { k = k.repeat_interleave(rep, 1); v = v.repeat_interleave(rep, 1); } // SDPA does not broadcast GQA heads
            bool causal = mask is null && t > 1;
            if (causal && cache is not null && cache.Length > 0)
                throw new NotSupportedException("a multi-token forward after cached tokens needs an explicit mask");
            y = functional.scaled_dot_product_attention(q, k, v, mask, 0, causal); // [B, nh, T, hd]
        }
        return Projection.Apply(o_proj, y.transpose(1, 2).reshape(b, t, heads * headDim)); // [B, T, d]
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)).</summary>
public sealed class LlamaMlp : Module<Tensor, Tensor>
{
    readonly Linear gate_proj, up_proj, down_proj;

    public LlamaMlp(LlamaConfig c) : base("mlp")
    {
        gate_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false); // [f, d]
        up_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: false);   // [f, d]
        down_proj = Linear(c.IntermediateSize, c.HiddenSize, hasBias: false); // [d, f]
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        Projection.Apply(down_proj, functional.silu(Projection.Apply(gate_proj, x)) * Projection.Apply(up_proj, x));
}

/// <summary>Pre-norm residual block: x + attn(norm(x)), then h + mlp(norm(h)).</summary>
public sealed class LlamaDecoderLayer : Module
{
    readonly LlamaAttention self_attn;
    readonly LlamaMlp mlp;
    readonly RmsNorm input_layernorm, post_attention_layernorm;

    public LlamaDecoderLayer(LlamaConfig c) : base("layer")
    {
        self_attn = new LlamaAttention(c);
        mlp = new LlamaMlp(c);
        input_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        post_attention_layernorm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, KvCache? cache, int layer, Tensor? mask)
    {
        var h = x.Plus(self_attn.Forward(input_layernorm.forward(x), cos, sin, cache, layer, mask));   // Plus: no implicit Scalar (TensorMath)
        return h.Plus(mlp.forward(post_attention_layernorm.forward(h)));
    }
}

/// <summary>Embedding → blocks → final norm (HF: LlamaModel, under the "model." prefix), with the rotary table both heads
/// (causal LM, sequence classification) share.</summary>
public sealed class LlamaBackbone : Module
{
    readonly Embedding embed_tokens;
    readonly ModuleList<LlamaDecoderLayer> layers;
    readonly RmsNorm norm;
    readonly RotaryEmbedding rope;                                           // buffers of cos/sin, not parameters

    public LlamaBackbone(LlamaConfig c) : base("model")
    {
        embed_tokens = Embedding(c.VocabSize, c.HiddenSize); // [V, d]
        layers = new ModuleList<LlamaDecoderLayer>(Enumerable.Range(0, c.NumLayers).Select(_ => new LlamaDecoderLayer(c)).ToArray());
        norm = new RmsNorm(c.HiddenSize, c.RmsNormEps);
        rope = new RotaryEmbedding(c.HeadDim, c.MaxPositions, c.RopeTheta, c.RopeScaling) { MropeSection = c.MropeSection };
        RegisterComponents();
    }

    public Tensor EmbeddingWeight => embed_tokens.weight!;

    /// <summary>The dtype activations run in: null for the weights' own; bf16 over fp32 weights for bf16-mixed training.</summary>
    public ScalarType? Compute { get; set; }

    /// <summary>Recompute each layer's activations in the backward instead of keeping them (training forwards only).</summary>
    public bool ActivationCheckpointing { get; set; }

    /// <summary>tokens [B, T] → their embeddings [B, T, d].</summary>
    public Tensor Embed(Tensor tokens) => embed_tokens.forward(tokens);

    /// <summary>Input embeddings [B, T, d] (HF: inputs_embeds) at positions [B, T] (or [3, B, T] under M-RoPE) → final
    /// hidden states [B, T, d].</summary>
    public Tensor Forward(Tensor x, Tensor positions, KvCache? cache, Tensor? mask)
    {
        if (positions.max().ToInt64() >= rope.MaxPositions)
            throw new ArgumentException($"position beyond max_position_embeddings ({rope.MaxPositions})");
        x = ComputeDtype.As(x, Compute ?? EmbeddingWeight.dtype);                // [B, T, d] in the compute dtype
        var (cos, sin) = rope.At(positions, x.dtype);
        if (ActivationCheckpointing && training && is_grad_enabled() && cache is null)
        {
            // the checkpointed layers backpropagate only when their input asks for it (a frozen embedding's does not)
            if (!x.requires_grad) x = x.detach().requires_grad_(true);
            for (int i = 0; i < layers.Count; i++)
            {
                using var layerScope = NewDisposeScope();
                x = LayerCheckpoint.Apply(layers[i], x, cos, sin, mask, i, Lora.LoraAdapters.MasksIn(layers[i])).MoveToOuterDisposeScope();
            }
        }
        else
            for (int i = 0; i < layers.Count; i++)
            {
                // each layer's intermediates go when it ends, not at the caller's step end (a 330-token prefill of 24 layers
                // held 2 GB of them): autograd keeps what its backward reads by itself
                using var layerScope = NewDisposeScope();
                x = layers[i].Forward(x, cos, sin, cache, i, mask).MoveToOuterDisposeScope();
            }
        cache?.Advance((int)x.shape[1]);
        return norm.forward(x);
    }

    /// <summary>HF's init of a Llama-family module: matrices ~ N(0, σ), norms at 1, biases at 0. Checkpoint loads overwrite it.</summary>
    public static void InitWeights(Module module, double std)
    {
        using var _ = no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) continue;       // input/post-attention layernorms, model.norm
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0, std);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) rope.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>The causal language model: backbone plus an output head (tied to the embedding or its own lm_head). Text only: as a
/// policy it refuses media, and a vision-language model wraps it, putting its encoder's embeddings in through <see cref="ForwardEmbeddings"/>.</summary>
public sealed class LlamaForCausalLM : Module<Tensor, Tensor>, IPolicy
{
    readonly LlamaBackbone model;
    [ComponentName(Name = "lm_head")] readonly Linear? head;

    public LlamaConfig Config { get; }

    public LlamaForCausalLM(LlamaConfig config) : base("llama")
    {
        config.Validate();
        Config = config;
        model = new LlamaBackbone(config);
        head = config.TieWordEmbeddings ? null : Linear(config.HiddenSize, config.VocabSize, hasBias: false); // [V, d]
        RegisterComponents();
        LlamaBackbone.InitWeights(this, config.InitializerRange);
    }

    public string Family => "llama";
    public Device Device => model.EmbeddingWeight.device;
    public ScalarType Dtype => model.EmbeddingWeight.dtype;
    public int MaxPositions => Config.MaxPositions;

    /// <summary>The dtype forward and backward run in (and the KV cache holds): the weights' own unless set, e.g. bf16 over
    /// fp32 weights for bf16-mixed training.</summary>
    public ScalarType ComputeDtype
    {
        get => model.Compute ?? Dtype;
        set => model.Compute = value == Dtype ? null : value;
    }

    /// <summary>Per decoder layer: keep only its input in the forward and recompute it in the backward.</summary>
    public bool ActivationCheckpointing { get => model.ActivationCheckpointing; set => model.ActivationCheckpointing = value; }

    public void HoldWeightsIn(ScalarType dtype)
    {
        this.to(dtype);
        model.Compute = null;                                                // computes in the weights' dtype from now on
    }

    /// <summary>Plain causal forward over unpadded (or right-padded) rows: tokens [B, T] → logits [B, T, V].</summary>
    public override Tensor forward(Tensor tokens)
    {
        var positions = TensorMath.Range(tokens.shape[1], tokens.device).unsqueeze(0).expand(tokens.shape[0], -1);
        return Forward(tokens, positions, null, null);
    }

    /// <summary>
    /// Full forward. tokens, positions: [B, T]; cache: appended to when given; mask: null (causal) or bool [B, 1, T, S].
    /// Returns fp32 logits [B, T, V]. Media are refused: this decoder has no encoder for them.
    /// </summary>
    public Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null)
    {
        if (media is { Count: > 0 })
            throw new NotSupportedException($"the {Family} policy reads text only: a prompt with {media[0].Media.Kind} media needs a policy with an encoder for it");
        return ForwardEmbeddings(Embed(tokens), positions, cache, mask);
    }

    /// <summary>The output head on each row's last position only: fp32 logits [B, V].</summary>
    public Tensor ForwardLast(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null)
    {
        if (media is { Count: > 0 })
            throw new NotSupportedException($"the {Family} policy reads text only: a prompt with {media[0].Media.Kind} media needs a policy with an encoder for it");
        return ForwardEmbeddings(Embed(tokens), positions, cache, mask, lastOnly: true)[.., 0];
    }

    /// <summary>tokens [B, T] → input embeddings [B, T, d] (the rows of embed_tokens).</summary>
    public Tensor Embed(Tensor tokens) => model.Embed(tokens);

    /// <summary>
    /// The forward from input embeddings [B, T, d] (HF: inputs_embeds), e.g. token embeddings with an encoder's at marked
    /// positions; otherwise as <see cref="Forward"/>. Returns fp32 logits [B, T, V].
    /// </summary>
    /// <param name="lastOnly">The head on the last position alone: logits [B, 1, V].</param>
    public Tensor ForwardEmbeddings(Tensor inputsEmbeds, Tensor positions, KvCache? cache, Tensor? mask, bool lastOnly = false)
    {
        var h = model.Forward(inputsEmbeds, positions, cache, mask);                             // [B, T, d]
        if (lastOnly) h = h[.., ^1..];                                                            // [B, 1, d]
        var logits = head is null ? functional.linear(h, Modules.ComputeDtype.As(model.EmbeddingWeight, h.dtype)) : Projection.Apply(head, h); // [B, T, V]
        return logits.dtype == ScalarType.Float32 ? logits : logits.to_type(ScalarType.Float32);
    }

    public KvCache NewCache(long batch, int capacity) =>
        new(Config.NumLayers, batch, Config.NumKvHeads, Math.Min(capacity, Config.MaxPositions), Config.HeadDim, ComputeDtype, Device);

    public void Save(string dir) => LlamaLoader.SaveHfFolder(this, dir);
}
