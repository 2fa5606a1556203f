// Qwen2.5-VL's vision transformer (HF: Qwen2_5_VisionTransformerPretrainedModel), in dependency order: patch embedding →
// 2-D rotary table → window order → blocks (window attention, full attention on fullatt_block_indexes) → patch merger →
// original order. Field names are the checkpoint's keys under "visual.", so a state dict loads without renaming.
// Every image of a batch is one packed sequence of patches [N, C·tp·p·p] in the processor's order (per image: merge blocks
// row-major, the merge² patches of a block contiguous); attention never crosses an image (or, in window blocks, a window).
using TorchSharp;
using TorchSharp.Modules;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WebLab.Training.Models.Qwen25Vl;

/// <summary>One image's patch grid: frames (temporal patches) × rows × columns of patches.</summary>
public readonly record struct ImageGrid(int T, int H, int W)
{
    public int Patches => T * H * W;
    /// <summary>Tokens the decoder sees for it: one per merge × merge block.</summary>
    public int Tokens(int merge) => T * (H / merge) * (W / merge);
}

/// <summary>The Conv3d patch embedding with kernel = stride = (tp, p, p), run as the linear map it is over flattened patches.</summary>
public sealed class Qwen25PatchEmbed : Module<Tensor, Tensor>
{
    readonly Conv3d proj;                                                     // weight [D, C, tp, p, p], no bias

    public Qwen25PatchEmbed(Qwen25VisionConfig c) : base("patch_embed")
    {
        proj = Conv3d(c.Channels, c.HiddenSize, (c.TemporalPatchSize, c.PatchSize, c.PatchSize), stride: (c.TemporalPatchSize, c.PatchSize, c.PatchSize), bias: false);
        RegisterComponents();
    }

    /// <summary>[N, C·tp·p·p] → [N, D]: each patch's one output of the convolution.</summary>
    public override Tensor forward(Tensor patches) =>
        functional.linear(patches.to_type(proj.weight!.dtype), proj.weight.flatten(1));
}

/// <summary>Non-causal self-attention over packed images, within the segments that <c>bounds</c> marks.</summary>
public sealed class Qwen25VisionAttention : Module
{
    readonly Linear qkv, proj;                                                // [3D, D] and [D, D], both with biases
    readonly int heads, headDim;

    public Qwen25VisionAttention(Qwen25VisionConfig c) : base("attn")
    {
        (heads, headDim) = (c.NumHeads, c.HeadDim);
        qkv = Linear(c.HiddenSize, 3 * c.HiddenSize, hasBias: true);
        proj = Linear(c.HiddenSize, c.HiddenSize, hasBias: true);
        RegisterComponents();
    }

    /// <param name="x">[S, D]</param>
    /// <param name="cos">[S, 1, hd] (broadcast over heads), as <paramref name="sin"/></param>
    /// <param name="bounds">cumulative segment ends [0, e1, …, S]: tokens attend only within their segment</param>
    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, long[] bounds)
    {
        long s = x.shape[0];
        var parts = qkv.forward(x).view(s, 3, heads, headDim).permute(1, 0, 2, 3);    // [3, S, H, hd]
        var q = RotaryEmbedding.Apply(parts[0], cos, sin).transpose(0, 1).unsqueeze(0); // [1, H, S, hd]
        var k = RotaryEmbedding.Apply(parts[1], cos, sin).transpose(0, 1).unsqueeze(0);
        var v = parts[2].transpose(0, 1).unsqueeze(0);
        var lengths = bounds.Zip(bounds.Skip(1), (a, b) => b - a).Where(n => n > 0).ToArray();
        // HF's eager and SDPA paths run each segment alone (flash-attention takes cu_seqlens); so here: one SDPA a segment
        var outs = lengths.Length == 1 ? [functional.scaled_dot_product_attention(q, k, v, null, 0, false)]
            : q.split(lengths, 2).Zip(k.split(lengths, 2), v.split(lengths, 2)).Select(t => functional.scaled_dot_product_attention(t.First, t.Second, t.Third, null, 0, false)).ToArray();
        var y = (outs.Length == 1 ? outs[0] : cat(outs, 2))[0].transpose(0, 1).reshape(s, heads * headDim);   // [S, D]
        return proj.forward(y);
    }
}

/// <summary>SwiGLU with biases: down(silu(gate(x)) · up(x)).</summary>
public sealed class Qwen25VisionMlp : Module<Tensor, Tensor>
{
    readonly Linear gate_proj, up_proj, down_proj;

    public Qwen25VisionMlp(Qwen25VisionConfig c) : base("mlp")
    {
        gate_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: true);
        up_proj = Linear(c.HiddenSize, c.IntermediateSize, hasBias: true);
        down_proj = Linear(c.IntermediateSize, c.HiddenSize, hasBias: true);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => down_proj.forward(functional.silu(gate_proj.forward(x)) * up_proj.forward(x));
}

/// <summary>Pre-norm block: x + attn(norm1(x)), then h + mlp(norm2(h)); RMSNorm with eps 1e-6.</summary>
public sealed class Qwen25VisionBlock : Module
{
    readonly RmsNorm norm1, norm2;
    readonly Qwen25VisionAttention attn;
    readonly Qwen25VisionMlp mlp;

    public Qwen25VisionBlock(Qwen25VisionConfig c) : base("block")
    {
        norm1 = new RmsNorm(c.HiddenSize, 1e-6);
        norm2 = new RmsNorm(c.HiddenSize, 1e-6);
        attn = new Qwen25VisionAttention(c);
        mlp = new Qwen25VisionMlp(c);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sin, long[] bounds)
    {
        var h = x.Plus(attn.Forward(norm1.forward(x), cos, sin, bounds));
        return h.Plus(mlp.forward(norm2.forward(h)));
    }
}

/// <summary>Merges each merge × merge block of patches into one decoder token: RMSNorm, then Linear(D·m², D·m²) → GELU → Linear(D·m², d).</summary>
public sealed class Qwen25PatchMerger : Module<Tensor, Tensor>
{
    readonly RmsNorm ln_q;
    readonly Sequential mlp;                                                  // keys mlp.0 and mlp.2, as HF's nn.Sequential
    readonly int width;

    public Qwen25PatchMerger(Qwen25VisionConfig c) : base("merger")
    {
        width = c.HiddenSize * c.SpatialMergeSize * c.SpatialMergeSize;
        ln_q = new RmsNorm(c.HiddenSize, 1e-6);
        mlp = Sequential(("0", Linear(width, width)), ("1", GELU()), ("2", Linear(width, c.OutHiddenSize)));
        RegisterComponents();
    }

    /// <summary>[S, D] (blocks' patches contiguous) → [S / m², d].</summary>
    public override Tensor forward(Tensor x) => mlp.forward(ln_q.forward(x).view(-1, width));
}

public sealed class Qwen25VisionTower : Module
{
    readonly Qwen25PatchEmbed patch_embed;
    readonly ModuleList<Qwen25VisionBlock> blocks;
    readonly Qwen25PatchMerger merger;
    readonly Qwen25VisionConfig config;

    public Qwen25VisionTower(Qwen25VisionConfig c) : base("visual")
    {
        config = c;
        patch_embed = new Qwen25PatchEmbed(c);
        blocks = new ModuleList<Qwen25VisionBlock>(Enumerable.Range(0, c.Depth).Select(_ => new Qwen25VisionBlock(c)).ToArray());
        merger = new Qwen25PatchMerger(c);
        RegisterComponents();
    }

    /// <summary>Per block: keep only its input in a training forward and recompute it in the backward.</summary>
    public bool ActivationCheckpointing { get; set; }

    /// <summary>
    /// Patches [N, C·tp·p·p] of the images whose grids are <paramref name="grids"/> (in order, N = Σ T·H·W) → their decoder
    /// tokens [Σ T·(H/m)·(W/m), d], image by image in the processor's token order.
    /// </summary>
    public Tensor Forward(Tensor patches, IReadOnlyList<ImageGrid> grids)
    {
        int unit = config.SpatialMergeSize * config.SpatialMergeSize;
        long n = patches.shape[0];
        if (n != grids.Sum(g => (long)g.Patches)) throw new ArgumentException($"{n} patches for grids totalling {grids.Sum(g => g.Patches)}");
        var x = patch_embed.forward(patches);                                                 // [N, D]
        var dtype = x.dtype;
        var (window, windowBounds) = Qwen25VisionGeometry.WindowIndex(grids, config.SpatialMergeSize, config.MergedWindow);
        var order = tensor(window, device: x.device);                                         // [N / m²]: merged units in window order
        x = x.view(n / unit, unit, -1).index_select(0, order).view(n, -1);                    // [N, D] in window order
        var angles = tensor(Qwen25VisionGeometry.RotaryAngles(grids, config.SpatialMergeSize, config.HeadDim), [n, config.HeadDim / 2], device: x.device);
        angles = angles.view(n / unit, unit, -1).index_select(0, order).view(n, -1);
        var emb = cat([angles, angles], -1);                                                  // [N, hd] in window order
        var cos = emb.cos().to_type(dtype).unsqueeze(1);                                      // [N, 1, hd]
        var sin = emb.sin().to_type(dtype).unsqueeze(1);
        var imageBounds = Qwen25VisionGeometry.ImageBounds(grids);
        for (int i = 0; i < blocks.Count; i++)
        {
            var bounds = config.FullAttentionBlocks.Contains(i) ? imageBounds : windowBounds;
            var block = blocks[i];
            using var blockScope = NewDisposeScope();
            x = (ActivationCheckpointing && training && is_grad_enabled()
                ? LayerCheckpoint.Apply((h, s) => block.Forward(h, s[0], s[1], bounds), x.requires_grad ? x : x.detach().requires_grad_(true), [cos, sin], null)
                : block.Forward(x, cos, sin, bounds)).MoveToOuterDisposeScope();
        }
        var merged = merger.forward(x);                                                       // [N / m², d] in window order
        var back = tensor(Qwen25VisionGeometry.Inverse(window), device: x.device);
        return merged.index_select(0, back);                                                  // [N / m², d] in image order
    }
}
