// RMSNorm (Zhang & Sennrich 2019): y = x / sqrt(mean(x²) + eps) · w, computed in fp32 whatever the weight dtype.
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly TorchSharp.Modules.Parameter weight; // [d]
    readonly double eps;

    public RmsNorm(int dim, double eps, string name = "rms_norm") : base(name)
    {
        weight = new TorchSharp.Modules.Parameter(ones(dim));
        this.eps = eps;
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // [..., d] → [..., d]
    {
        var x32 = x.dtype == ScalarType.Float32 ? x : x.to_type(ScalarType.Float32);
        // No implicit Scalar anywhere: one is freed by the GC's finalizer whenever it runs, which can be mid-op (TorchSharp
        // PRs #1434/#1496), and TorchSharp 0.107 makes some inside its own methods: add_(scalar) passes an implicit alpha of
        // 1, square() is pow(2). Both crashed training steps here ("Expected false to be true" in Scalar::toFloat, "false
        // INTERNAL ASSERT FAILED" in pow). So x·x (tensor × tensor, the same value as pow 2) and explicit eps and alpha.
        using var e = eps.ToScalar();
        using var one = 1.0.ToScalar();
        var normed = x32 * (x32 * x32).mean([-1], keepdim: true).add_(e, one).rsqrt_();
        return (x.dtype == ScalarType.Float32 ? normed : normed.to_type(x.dtype)) * ComputeDtype.As(weight, x.dtype);
    }
}
