// Tensor addition without an implicit Scalar. In TorchSharp 0.107, a + b is a.add(b, 1): the 1 becomes a new Scalar that
// nothing references once its handle is read, so a garbage collection triggered by another thread can run its finalizer,
// freeing it while libtorch still reads it (TorchSharp PRs #1434/#1496). Runs here died of it mid-step ("Expected false
// to be true" in Scalar::toFloat, from a residual or rotary addition). The alpha here is one Scalar rooted for the
// process, never finalized; a Scalar is immutable, so threads share it.
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public static class TensorMath
{
    static readonly Scalar One = 1.0.ToScalar();

    /// <summary>a + b (broadcast as torch.add does), with a rooted alpha.</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary>[0, 1, …, n − 1] as int64 on <paramref name="device"/>, like arange(n) but built on the host: arange's
    /// start, stop and step are implicit Scalars.</summary>
    public static Tensor Range(long n, Device device)
    {
        var ids = new long[n];
        for (long i = 0; i < n; i++) ids[i] = i;
        return tensor(ids, device: device);
    }
}
