// What a run will hold in memory at its peak, worked out before it starts: the policy's weights (fp32 masters, plus the
// bf16 copies bf16-mixed casts for its matmuls; with LoRA a frozen base, in bf16 under bf16-mixed, and the adapters), the
// gradients and AdamW's two moments of what trains, the frozen networks (a reference and an evaluation opponent when they
// are copies, a reward model), the activations autograd keeps for one update batch, and the rollouts' KV cache. The
// update's activations and the rollouts' cache are never held at once (generation ends before the update), so the
// peak counts the larger of the two. Pure arithmetic: MemoryPlanTests works a case by hand.
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Models;

/// <summary>
/// A vision tower's shape for its activations: <paramref name="Depth"/> blocks of width <paramref name="Hidden"/> and MLP
/// <paramref name="Intermediate"/> over patches; attention within segments of <paramref name="WindowPatches"/> patches
/// except on <paramref name="FullBlocks"/> blocks (the whole image); the merger joins <paramref name="MergeUnit"/> patches.
/// </summary>
public sealed record PlannedVision(int Depth, int Hidden, int Intermediate, int Heads, int WindowPatches, int FullBlocks, int MergeUnit);

/// <summary>One network's shape: a Llama-family decoder, plus the parameters of what it carries beside (a vision tower),
/// and that tower's shape when its activations are planned (Qwen2.5-VL's).</summary>
public sealed record PlannedNetwork(LlamaConfig Text, long ExtraParameters = 0, PlannedVision? Vision = null)
{
    /// <summary>Parameters: embeddings, layers (attention, MLP, two norms), final norm, an untied head, and the extra.</summary>
    public long Parameters
    {
        get
        {
            var c = Text;
            long d = c.HiddenSize, f = c.IntermediateSize, q = c.NumHeads * (long)c.HeadDim, kv = c.NumKvHeads * (long)c.HeadDim;
            long layer = d * q + 2 * d * kv + q * d + 3 * d * f + 2 * d + (c.AttentionBias ? q + 2 * kv : 0);
            return c.VocabSize * d + c.NumLayers * layer + d + (c.TieWordEmbeddings ? 0 : c.VocabSize * d) + ExtraParameters;
        }
    }

    /// <summary>Parameters of rank-<paramref name="r"/> LoRA adapters on the named projections: r·(in + out) each, every layer.</summary>
    public long AdapterParameters(int r, IReadOnlyCollection<string> targets)
    {
        var c = Text;
        long d = c.HiddenSize, f = c.IntermediateSize, q = c.NumHeads * (long)c.HeadDim, kv = c.NumKvHeads * (long)c.HeadDim;
        long perLayer = targets.Sum(t => t switch
        {
            "q_proj" => d + q, "k_proj" or "v_proj" => d + kv, "o_proj" => q + d, "gate_proj" or "up_proj" => d + f, "down_proj" => f + d, _ => 0L,
        });
        return r * perLayer * c.NumLayers;
    }
}

/// <summary>What a run does, in the terms memory depends on.</summary>
/// <param name="Bf16">bf16-mixed (else fp32).</param>
/// <param name="LoraRank">LoRA's rank, or 0 for full training.</param>
/// <param name="FrozenCopies">Copies of the policy held frozen (the reference, the evaluation opponent; none with LoRA).</param>
/// <param name="Frozen">Other frozen networks (a reward model).</param>
/// <param name="Rows">Sequences in one update.</param>
/// <param name="Sequence">Tokens of the longest update sequence.</param>
/// <param name="RolloutRows">Sequences generated at once.</param>
/// <param name="RolloutSequence">Positions each generated sequence's cache holds.</param>
/// <param name="Checkpointing">Activation checkpointing: each layer keeps only its input, and one layer's activations live
/// at a time (its recomputation).</param>
/// <param name="LoraDropout">LoRA's dropout: above 0, each adapted projection keeps its dropped input and the mask for the
/// backward (at 0 its input is the base projection's own).</param>
/// <param name="Groups">The update's rows held at once when they are of several lengths, each group at its own (LSP's
/// answers and its Challenger's longer rows); null: <paramref name="Rows"/> at <paramref name="Sequence"/>.</param>
/// <param name="ImagePatches">Vision patches of one update row's images (their image tokens are already in
/// <paramref name="Sequence"/>: a quarter of this at merge 2): the tower's activations for each row.</param>
public sealed record PlanSettings(bool Bf16, int LoraRank, IReadOnlyCollection<string> LoraTargets, int FrozenCopies,
    IReadOnlyList<PlannedNetwork> Frozen, int Rows, int Sequence, int RolloutRows, int RolloutSequence, bool Checkpointing = false,
    IReadOnlyList<(int Rows, int Sequence)>? Groups = null, double LoraDropout = 0, int ImagePatches = 0);

public sealed record MemoryPlan(long Parameters, long Trainable, long Weights, long Gradients, long Optimizer, long Frozen, long Activations, long Cache)
{
    /// <summary>The peak: everything held throughout, plus the larger of the update's activations and the rollouts' cache.</summary>
    public long Total => Weights + Gradients + Optimizer + Frozen + Math.Max(Activations, Cache);

    public static MemoryPlan Of(PlannedNetwork policy, PlanSettings s)
    {
        var c = policy.Text;
        long p = policy.Parameters;
        long compute = s.Bf16 ? 2 : 4;
        long trainable = s.LoraRank > 0 ? policy.AdapterParameters(s.LoraRank, s.LoraTargets) : p;
        // the policy: fp32 masters (+ bf16 working copies under bf16-mixed); with LoRA a frozen base in the compute dtype
        long weights = s.LoraRank > 0 ? compute * p + 4 * trainable : 4 * p + (s.Bf16 ? 2 * p : 0);
        long frozen = s.FrozenCopies * compute * p + s.Frozen.Sum(n => compute * n.Parameters);
        // per token and layer, the saved activations (MemoryEstimate's count), in the compute dtype; the logits and their
        // log-softmax in fp32
        long d = c.HiddenSize, f = c.IntermediateSize, kv = c.NumKvHeads * (long)c.HeadDim, h = c.NumHeads, v = c.VocabSize;
        long q = c.NumHeads * (long)c.HeadDim;
        long lora = s.LoraRank > 0 && s.LoraDropout > 0 ? 2 * s.LoraTargets.Sum(t => t switch
        {
            "q_proj" or "k_proj" or "v_proj" or "gate_proj" or "up_proj" => d, "o_proj" => q, "down_proj" => f, _ => 0L,
        }) : 0;                                                                // per token and layer: LoRA's dropped inputs and masks
        long activations = 0;
        foreach (var (rows, sequence) in s.Groups ?? [(s.Rows, s.Sequence)])
        {
            long perTokenLayer = 4 * d + 2 * d + 4 * kv + 2 * d + 2 * d + d + 4 * f + 2 * h * sequence + lora;
            long tokens = (long)rows * sequence;
            long kept = s.Checkpointing ? c.NumLayers * d + perTokenLayer : c.NumLayers * perTokenLayer;   // per token, across the layers
            activations += tokens * (kept + 2 * d) * compute + tokens * 2 * v * 4;
        }
        if (policy.Vision is { } vt && s.ImagePatches > 0)
            activations += (long)s.Rows * s.ImagePatches * VisionPerPatch(vt, s.ImagePatches, s.Checkpointing) * compute;
        long cache = 2L * c.NumLayers * s.RolloutRows * s.RolloutSequence * kv * compute;
        return new(p, trainable, weights, 4 * trainable, 8 * trainable, frozen, activations, cache);
    }

    /// <summary>
    /// Values a vision tower keeps per patch for the backward: per block, the norms' inputs and outputs (4D), q, k, v and the
    /// rotated q, k (5D), the attention output (D), the MLP's gate, up, silu and product (4F) and the attention
    /// probabilities (heads × the segment: the whole image's <paramref name="patches"/> on full blocks, a window
    /// otherwise); then the merger's norm input (D) and its MLP's 12D per merged token (12D / unit a patch).
    /// With checkpointing, each block's input and the largest block's activations.
    /// </summary>
    public static long VisionPerPatch(PlannedVision v, int patches, bool checkpointing)
    {
        long d = v.Hidden, f = v.Intermediate;
        long block = 10 * d + 4 * f;
        long window = block + v.Heads * (long)Math.Min(v.WindowPatches, patches), full = block + v.Heads * (long)patches;
        long blocks = checkpointing ? v.Depth * d + (v.FullBlocks > 0 ? full : window)
            : (v.Depth - v.FullBlocks) * window + v.FullBlocks * full;
        return blocks + d + 12 * d / v.MergeUnit;
    }

    public static string Format(long bytes) => MemoryEstimate.Format(bytes);

    /// <summary>"weights 1.90 GiB, gradients …, cache 84 MiB": the parts in words.</summary>
    public string Breakdown => $"weights {Format(Weights)}, gradients {Format(Gradients)}, optimizer {Format(Optimizer)}, "
        + $"frozen networks {Format(Frozen)}, activations {Format(Activations)}, cache {Format(Cache)}";
}
