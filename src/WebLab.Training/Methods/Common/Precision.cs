// The numeric precision a run trains in, one option for every method. fp32 is the plain path. bf16-mixed runs forward and
// backward in bf16 over fp32 master weights, and AdamW's moments stay fp32 (Models/Modules/ComputeDtype: each weight is
// cast where it is used, autocast's way). The KV cache follows the compute dtype, and the frozen networks (the reference,
// the evaluation opponent) are held in bf16. Auto is fp32 on the CPU and bf16-mixed on CUDA.
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Common;

public enum Precision { Auto, Fp32, Bf16Mixed }

public static class Precisions
{
    /// <summary>What <see cref="Precision.Auto"/> means on <paramref name="device"/>: bf16-mixed on CUDA, fp32 elsewhere.</summary>
    public static Precision Resolve(Precision precision, string device) =>
        precision != Precision.Auto ? precision : device.StartsWith("cuda", StringComparison.Ordinal) ? Precision.Bf16Mixed : Precision.Fp32;

    /// <summary>The model a run trains: under bf16-mixed it computes in bf16 over its fp32 weights (which AdamW steps);
    /// with <paramref name="checkpointing"/> its layers recompute their activations in the backward.</summary>
    public static IPolicy Trained(IPolicy policy, Precision precision, string device, bool checkpointing = false)
    {
        if (Resolve(precision, device) == Precision.Bf16Mixed) policy.ComputeDtype = ScalarType.BFloat16;
        if (checkpointing) policy.ActivationCheckpointing = true;
        return policy;
    }

    /// <summary>A frozen network (reference, evaluation opponent): under bf16-mixed its weights are held in bf16.</summary>
    public static IPolicy Frozen(IPolicy model, Precision precision, string device)
    {
        if (Resolve(precision, device) == Precision.Bf16Mixed) model.HoldWeightsIn(ScalarType.BFloat16);
        return model;
    }
}
