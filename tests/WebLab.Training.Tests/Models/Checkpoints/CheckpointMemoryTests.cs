// Checkpoint I/O owns no tensors after it returns, and streams tensors past the 64 MiB chunk size intact.
// Alone in a non-parallel collection: Tensor.TotalCount is process-wide.
using WebLab.Training.Models.Checkpoints;
using Xunit;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Checkpoints;

[CollectionDefinition(nameof(CheckpointMemoryTests), DisableParallelization = true)]
public sealed class CheckpointMemoryCollection;

[Collection(nameof(CheckpointMemoryTests))]
public sealed class CheckpointMemoryTests : IDisposable
{
    readonly TempFolder _dir = new("weblab-mem-");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Save_and_load_leave_no_live_tensors_behind()
    {
        var path = Path.Combine(_dir.Path, "m.safetensors");
        using var a = randn(4, 6);
        using var b = randn(6, 4).t();   // non-contiguous: Save makes (and must free) a copy
        var state = new Dictionary<string, Tensor> { ["a"] = a, ["b"] = b };
        SafeTensors.Save(path, state);   // warm-up
        long before = LiveTensors();

        for (int i = 0; i < 3; i++)
        {
            SafeTensors.Save(path, state);
            foreach (var t in SafeTensors.Load(path).Values) t.Dispose();
            var (_, l2c) = Llama2cCheckpoint.Load(Fixtures.Path("stories260k/stories260K.bin"));
            foreach (var t in l2c.Values) t.Dispose();
        }

        Assert.Equal(before, Tensor.TotalCount);   // no GC here: a forgotten temporary is still counted
    }

    /// <summary>Live tensors once the unreachable ones other tests left to the GC are finalized.</summary>
    static long LiveTensors()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        return Tensor.TotalCount;
    }

    [Fact]
    public void Tensor_larger_than_one_chunk_round_trips()
    {
        // 17M int32 = 68 MB > the 64 MiB chunk: the second chunk must land at element 16,777,216
        var path = Path.Combine(_dir.Path, "big.safetensors");
        using var big = arange(17_000_000, dtype: ScalarType.Int32);
        SafeTensors.Save(path, new Dictionary<string, Tensor> { ["big"] = big });

        using var loaded = SafeTensors.Load(path)["big"];

        Assert.True(big.Equals(loaded));
    }
}
