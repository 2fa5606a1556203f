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
        // an explicit Scalar, disposed after the op: an implicit one (add_(eps)) is freed by the GC's finalizer whenever
        // it runs, which can be mid-op (TorchSharp PRs #1434/#1496); it once crashed a training step here
        using var e = eps.ToScalar();
        var normed = x32 * x32.square().mean([-1], keepdim: true).add_(e).rsqrt_();
        return (x.dtype == ScalarType.Float32 ? normed : normed.to_type(x.dtype)) * weight;
    }
}
