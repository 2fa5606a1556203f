// Activation checkpointing of one decoder layer (PyTorch's reentrant torch.utils.checkpoint, written out with TorchSharp's
// custom autograd function): the forward runs without keeping the layer's activations, only its input; the backward runs
// the layer again with gradients and backpropagates through that, which fills the layer's weight gradients and returns the
// input's. The generator of any randomness in the layer (LoRA dropout) is put back to where the forward found it, so the
// recomputation draws the same masks. Memory: one layer's activations at a time, for a second forward per layer.
using TorchSharp;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public sealed class LayerCheckpoint : autograd.SingleTensorFunction<LayerCheckpoint>
{
    public override string Name => nameof(LayerCheckpoint);

    /// <summary>True while a checkpointed layer runs its forward without gradients: a training forward all the same (LoRA's
    /// dropout applies, as it will in the recomputation).</summary>
    [ThreadStatic] static bool inForward;
    public static bool InForward => inForward;

    /// <summary>The layer's output [B, T, d] for input x [B, T, d], keeping only x for the backward.</summary>
    public static Tensor Apply(LlamaDecoderLayer layer, Tensor x, Tensor cos, Tensor sin, Tensor? mask, int index, Generator? masks) =>
        apply(x, cos, sin, mask ?? empty(0), layer, index, masks ?? (object)false);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, cos, sin, mask, layer, index) = ((Tensor)vars[0], (Tensor)vars[1], (Tensor)vars[2], (Tensor)vars[3], (LlamaDecoderLayer)vars[4], (int)vars[5]);
        var generator = vars[6] as Generator;
        ctx.save_for_backward([x, cos, sin, mask]);
        ctx.save_data("layer", layer);
        ctx.save_data("index", index);
        ctx.save_data("generator", generator ?? (object)false);
        if (generator is not null) ctx.save_data("state", generator.get_state());
        using var _ = no_grad();
        inForward = true;
        try { return layer.Forward(x, cos, sin, null, index, mask.numel() == 0 ? null : mask); }
        finally { inForward = false; }
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var (x, cos, sin, mask) = (saved[0], saved[1], saved[2], saved[3]);
        var layer = (LlamaDecoderLayer)ctx.get_data("layer");
        if (ctx.get_data("generator") is Generator g) g.set_state((Tensor)ctx.get_data("state"));   // the forward's masks again
        var input = x.detach().requires_grad_(true);
        using (enable_grad())
        {
            var y = layer.Forward(input, cos, sin, null, (int)ctx.get_data("index"), mask.numel() == 0 ? null : mask);
            y.backward([gradOutput]);                                      // fills the layer's weight gradients
        }
        return [input.grad!, null!, null!, null!, null!, null!, null!];
    }
}
