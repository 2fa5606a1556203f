// Key/value cache for batched decoding: per layer, preallocated [B, n_kv, capacity, hd] buffers.
// Owned by the caller of generation (created before the step loop, disposed after), never by a dispose scope.
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public sealed class KvCache : IDisposable
{
    readonly Tensor[] keys, values; // each [B, n_kv, capacity, hd]

    /// <summary>Positions filled so far (the same for every row; left padding keeps rows aligned).</summary>
    public int Length { get; private set; }
    public int Capacity { get; }
    /// <summary>The dtype keys and values are held in: the model's compute dtype.</summary>
    public ScalarType Dtype { get; }

    public KvCache(int layers, long batch, int kvHeads, int capacity, int headDim, ScalarType dtype, Device device)
    {
        Capacity = capacity;
        Dtype = dtype;
        keys = new Tensor[layers];
        values = new Tensor[layers];
        for (int i = 0; i < layers; i++)
        {
            keys[i] = zeros([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
            values[i] = zeros([batch, kvHeads, capacity, headDim], dtype, device).DetachFromDisposeScope();
        }
    }

    /// <summary>Writes k, v ([B, n_kv, T, hd]) at the current length and returns the filled prefix [B, n_kv, Length+T, hd].</summary>
    public (Tensor K, Tensor V) Append(int layer, Tensor k, Tensor v)
    {
        var t = (int)k.shape[2];
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache full: {Length}+{t} > {Capacity}");
        keys[layer].narrow(2, Length, t).copy_(k);
        values[layer].narrow(2, Length, t).copy_(v);
        return (keys[layer].narrow(2, 0, Length + t), values[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Called once per forward pass, after every layer appended T positions.</summary>
    public void Advance(int t) => Length += t;

    public void Dispose()
    {
        foreach (var t in keys) t.Dispose();
        foreach (var t in values) t.Dispose();
    }
}
