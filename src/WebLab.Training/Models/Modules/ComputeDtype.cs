// bf16-mixed compute over fp32 weights, autocast's way written out: each weight is cast to the activations' dtype where it
// is used, so forward and backward run in bf16 while the gradients land, through the cast, on the fp32 weights that AdamW
// steps (its moments stay fp32). When activations already have the weights' dtype nothing is cast, so the fp32 path is
// the plain one.
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public static class ComputeDtype
{
    /// <summary>x · Wᵀ + b with W and b in x's dtype. x [..., in] → [..., out].</summary>
    public static Tensor Linear(TorchSharp.Modules.Linear layer, Tensor x) =>
        layer.weight!.dtype == x.dtype ? layer.forward(x) : nn.functional.linear(x, layer.weight.to_type(x.dtype), layer.bias?.to_type(x.dtype));

    /// <summary><paramref name="t"/> in <paramref name="dtype"/> (itself when it already is).</summary>
    public static Tensor As(Tensor t, ScalarType dtype) => t.dtype == dtype ? t : t.to_type(dtype);
}
