// The vision side of the tiny VLM: a ViT-style encoder (patches → linear embedding + learned positions → pre-norm
// transformer blocks with bidirectional attention → LayerNorm) and LLaVA's two-layer projector into the decoder's width.
using TorchSharp;
using TorchSharp.Modules;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace WebLab.Training.Models.TinyVlm;

public sealed class VisionBlock : Module<Tensor, Tensor>
{
    readonly LayerNorm layer_norm1, layer_norm2;
    readonly Linear qkv, out_proj, fc1, fc2;
    readonly int heads;

    public VisionBlock(TinyVisionConfig c) : base("layer")
    {
        heads = c.NumHeads;
        layer_norm1 = LayerNorm(c.HiddenSize, c.LayerNormEps);
        layer_norm2 = LayerNorm(c.HiddenSize, c.LayerNormEps);
        qkv = Linear(c.HiddenSize, 3 * c.HiddenSize);
        out_proj = Linear(c.HiddenSize, c.HiddenSize);
        fc1 = Linear(c.HiddenSize, c.IntermediateSize);
        fc2 = Linear(c.IntermediateSize, c.HiddenSize);
        RegisterComponents();
    }

    /// <summary>x [N, P, dv] → [N, P, dv]; every patch attends to every patch of its image.</summary>
    public override Tensor forward(Tensor x)
    {
        long n = x.shape[0], p = x.shape[1], d = x.shape[2];
        var parts = qkv.forward(layer_norm1.forward(x)).view(n, p, 3, heads, d / heads).permute(2, 0, 3, 1, 4);  // [3, N, H, P, hd]
        var attended = functional.scaled_dot_product_attention(parts[0], parts[1], parts[2]);                    // [N, H, P, hd]
        var h = x.Plus(out_proj.forward(attended.transpose(1, 2).reshape(n, p, d)));                 // Plus: no implicit Scalar (TensorMath)
        return h.Plus(fc2.forward(functional.gelu(fc1.forward(layer_norm2.forward(h)))));
    }
}

public sealed class VisionTower : Module<Tensor, Tensor>
{
    readonly TinyVisionConfig config;
    readonly Linear patch_embedding;
    readonly Parameter position_embedding;
    readonly ModuleList<VisionBlock> layers;
    readonly LayerNorm post_layernorm;

    public VisionTower(TinyVisionConfig c) : base("vision_tower")
    {
        config = c;
        patch_embedding = Linear(c.Channels * c.PatchSize * c.PatchSize, c.HiddenSize);
        position_embedding = new Parameter(randn(c.Patches, c.HiddenSize) * 0.02);
        layers = new ModuleList<VisionBlock>(Enumerable.Range(0, c.NumLayers).Select(_ => new VisionBlock(c)).ToArray());
        post_layernorm = LayerNorm(c.HiddenSize, c.LayerNormEps);
        RegisterComponents();
    }

    /// <summary>Per block: keep only its input in the forward and recompute it in the backward (Models/Modules/LayerCheckpoint).</summary>
    public bool ActivationCheckpointing { get; set; }

    /// <summary>pixels [N, C, S, S] in [0, 1] → patch features [N, P, dv], patches in reading order.</summary>
    public override Tensor forward(Tensor pixels)
    {
        long n = pixels.shape[0];
        int c = config.Channels, g = config.PatchesPerSide, p = config.PatchSize;
        var patches = pixels.view(n, c, g, p, g, p).permute(0, 2, 4, 1, 3, 5).reshape(n, g * g, c * p * p);       // [N, P, C·p·p]
        // [0, 1] → [−1, 1] with scalars held to the end of the call: an implicit Scalar (patches * 2) is freed by the GC
        // finalizer whenever it runs, and once crashed libtorch mid-op here (TorchSharp PRs #1434/#1496 track the leak)
        using var two = 2.0.ToScalar();
        using var one = 1.0.ToScalar();
        var x = patch_embedding.forward(patches.mul(two).sub(one)).Plus(position_embedding);                           // [N, P, dv]
        foreach (var layer in layers)
            x = ActivationCheckpointing && training && is_grad_enabled()
                ? Modules.LayerCheckpoint.Apply((h, _) => layer.forward(h), x.requires_grad ? x : x.detach().requires_grad_(true), [], null)
                : layer.forward(x);
        return post_layernorm.forward(x);
    }
}

/// <summary>LLaVA's projector: Linear → GELU → Linear, from the encoder's width to the decoder's.</summary>
public sealed class Projector : Module<Tensor, Tensor>
{
    readonly Linear linear_1, linear_2;

    public Projector(int visionWidth, int textWidth) : base("multi_modal_projector")
    {
        linear_1 = Linear(visionWidth, textWidth);
        linear_2 = Linear(textWidth, textWidth);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => linear_2.forward(functional.gelu(linear_1.forward(x)));
}
