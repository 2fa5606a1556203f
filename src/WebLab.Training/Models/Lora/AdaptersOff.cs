// A LoRA policy seen with its adapters off: the base network, which is what a LoRA run's frozen reference is. It shares
// the policy's weights (no second copy); each forward turns the adapters off for its duration. It owns nothing: disposing
// it leaves the policy alone.
using TorchSharp.Modules;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Lora;

public sealed class AdaptersOff(IPolicy policy) : IPolicy
{
    readonly nn.Module module = policy as nn.Module ?? throw new ArgumentException("LoRA adapters live on a TorchSharp module");

    public string Family => policy.Family;
    public Device Device => policy.Device;
    public int MaxPositions => policy.MaxPositions;
    public IMediaProcessor Processor => policy.Processor;
    public ScalarType ComputeDtype { get => policy.ComputeDtype; set => throw new InvalidOperationException("the reference computes as its policy does"); }

    public Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null)
    {
        LoraAdapters.SetEnabled(module, false);
        try { return policy.Forward(tokens, positions, cache, mask, media); }
        finally { LoraAdapters.SetEnabled(module, true); }
    }

    public Tensor ForwardLast(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null)
    {
        LoraAdapters.SetEnabled(module, false);
        try { return policy.ForwardLast(tokens, positions, cache, mask, media); }
        finally { LoraAdapters.SetEnabled(module, true); }
    }

    public KvCache NewCache(long batch, int capacity) => policy.NewCache(batch, capacity);
    /// <summary>None: the reference trains nothing (the base weights it reads are the policy's, frozen).</summary>
    public IEnumerable<Parameter> parameters(bool recurse = true) => [];
    public bool training => false;
    public void train(bool on = true) { }
    public void eval() { }
    public void Save(string dir) => throw new InvalidOperationException("a LoRA run's reference is its policy with the adapters off; save the base folder instead");
    public void Dispose() { }
}
