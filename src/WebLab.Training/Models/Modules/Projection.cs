// Every weight matrix of the decoder is applied here: in the activations' dtype (bf16-mixed, ComputeDtype), plus the
// layer's LoRA adapter when one is attached and on (Models/Lora).
using TorchSharp.Modules;
using WebLab.Training.Models.Lora;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public static class Projection
{
    /// <summary>x [..., in] → [..., out].</summary>
    public static Tensor Apply(Linear layer, Tensor x)
    {
        var y = ComputeDtype.Linear(layer, x);
        return LoraAdapters.Of(layer) is { } adapter ? adapter.Add(y, x) : y;
    }
}
