// Activation checkpointing of one layer, a decoder layer or a vision block (PyTorch's reentrant torch.utils.checkpoint,
// written out with TorchSharp's custom autograd function): the forward runs without keeping the layer's activations, only
// its input; the backward runs the layer again with gradients and backpropagates through that, which fills the layer's
// weight gradients and returns the input's. The generator of any randomness in the layer (LoRA dropout) is put back to where the forward found it, so the
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

    /// <summary>One layer's run: its input [B, T, d] and the other tensors it reads (positions' rotations, a mask), as saved.</summary>
    public delegate Tensor Layer(Tensor x, IReadOnlyList<Tensor> inputs);

    /// <summary>The decoder layer's output [B, T, d] for input x [B, T, d], keeping only x (and cos, sin, mask) for the backward.</summary>
    public static Tensor Apply(LlamaDecoderLayer layer, Tensor x, Tensor cos, Tensor sin, Tensor? mask, int index, Generator? masks) =>
        Apply((h, s) => layer.Forward(h, s[0], s[1], null, index, s[2].numel() == 0 ? null : s[2]), x, [cos, sin, mask ?? empty(0)], masks);

    /// <summary>The output of <paramref name="layer"/> for x, keeping only x and <paramref name="inputs"/> for the backward;
    /// <paramref name="masks"/>: the generator of any dropout inside it (put back for the recomputation), or null.</summary>
    public static Tensor Apply(Layer layer, Tensor x, IReadOnlyList<Tensor> inputs, Generator? masks) =>
        apply(x, layer, inputs, masks ?? (object)false);

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var (x, layer, inputs) = ((Tensor)vars[0], (Layer)vars[1], (IReadOnlyList<Tensor>)vars[2]);
        var generator = vars[3] as Generator;
        // TorchSharp keeps the saved tensors as .NET handles: save handles of their own, out of every dispose scope, so that
        // a scope ending before the backward (SequenceLogProbs frees its forward's intermediates, each layer its own) leaves
        // them valid; the backward disposes them
        ctx.save_for_backward([.. new[] { x }.Concat(inputs).Select(t => t.detach().DetachFromDisposeScope())]);
        ctx.save_data("layer", layer);
        ctx.save_data("generator", generator ?? (object)false);
        if (generator is not null) ctx.save_data("state", generator.get_state().DetachFromDisposeScope());
        using var _ = no_grad();
        inForward = true;
        try { return layer(x, inputs); }
        finally { inForward = false; }
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor gradOutput)
    {
        var saved = ctx.get_saved_variables();
        var layer = (Layer)ctx.get_data("layer");
        if (ctx.get_data("generator") is Generator g)
        {
            using var state = (Tensor)ctx.get_data("state");
            g.set_state(state);                                            // the forward's masks again
        }
        // the recomputation's intermediates go when this layer's backward ends, not at the step's end (held there, all the
        // layers' recomputations add up to more than no checkpointing); only the input's gradient leaves, to autograd
        Tensor grad;
        using (var scope = NewDisposeScope())
        {
            var input = saved[0].detach().requires_grad_(true);
            using (enable_grad())
            {
                var y = layer(input, saved.Skip(1).ToList());
                y.backward([gradOutput]);                                  // fills the layer's weight gradients
            }
            grad = input.grad!.DetachFromDisposeScope();
        }
        foreach (var t in saved) t.Dispose();
        return [grad, null!, null!, null!];
    }
}
