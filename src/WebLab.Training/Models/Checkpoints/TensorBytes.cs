// Streams a tensor's raw bytes to and from a file without an intermediate managed array.
// Tensor.bytes is an int-length Span over native memory, so large tensors go through 1-D slices of at most 64 MiB.
using static TorchSharp.torch;

namespace WebLab.Training.Models.Checkpoints;

internal static class TensorBytes
{
    const long ChunkBytes = 64L << 20;

    /// <summary>Writes the data of a CPU tensor (made contiguous here) in little-endian element order.</summary>
    public static void Write(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.cpu().contiguous().reshape(-1);     // [numel], a view or a copy owned by the scope
        foreach (var (start, length) in Chunks(flat))
            stream.Write(flat.narrow(0, start, length).bytes);
    }

    /// <summary>Fills a contiguous CPU tensor from the stream; EndOfStreamException when the stream runs out.</summary>
    public static void Read(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var flat = tensor.reshape(-1);                        // [numel], a view sharing tensor's storage
        foreach (var (start, length) in Chunks(flat))
            stream.ReadExactly(flat.narrow(0, start, length).bytes);
    }

    static IEnumerable<(long Start, long Length)> Chunks(Tensor flat)
    {
        long n = flat.NumberOfElements, per = Math.Max(1, ChunkBytes / flat.ElementSize);
        for (long start = 0; start < n; start += per) yield return (start, Math.Min(per, n - start));
    }
}
