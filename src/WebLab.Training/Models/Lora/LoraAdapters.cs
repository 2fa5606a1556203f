// LoRA (Hu et al. 2021) on any module of this build: each targeted Linear W gets an adapter, y = W·x + (α/r)·B·A·dropout(x)
// with A [r, in] (kaiming-uniform, as PEFT) and B [out, r] (zeros, so the adapted model starts as the base). The adapter's
// A and B are registered under the Linear as lora_A and lora_B, so their keys are PEFT's (…q_proj.lora_A.weight), and
// every decoder projection applies its adapter through Modules/Projection. The base weights are frozen; with the adapters
// off the network is the base again, which is how a LoRA run's reference policy costs no second copy.
using System.Runtime.CompilerServices;
using TorchSharp;
using TorchSharp.Modules;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Modules;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Lora;

/// <summary>One Linear's adapter: A, B, the scaling α/r, dropout (its masks drawn from the model's dropout generator, reseeded
/// every step so a resumed run draws the same ones), and whether it is on.</summary>
public sealed class LoraAdapter(Linear a, Linear b, double scaling, double dropout, Generator masks)
{
    readonly double _dropout = dropout;
    public Linear A { get; } = a;
    public Linear B { get; } = b;
    public double Scaling { get; } = scaling;
    /// <summary>The model's dropout generator (activation checkpointing puts it back before recomputing a layer).</summary>
    public Generator Masks { get; } = masks;
    public bool Enabled { get; internal set; } = true;

    /// <summary>y + (α/r)·B·A·dropout(x), in x's dtype. x [..., in], y [..., out].</summary>
    public Tensor Add(Tensor y, Tensor x)
    {
        if (!Enabled) return y;
        // dropout only where gradients flow (an update's forward, not a rollout's or an evaluation's), as PEFT in training
        var input = _dropout > 0 && A.training && (is_grad_enabled() || LayerCheckpoint.InForward) ? Dropped(x) : x;
        using var s = Scaling.ToScalar();                                     // explicit: see RmsNorm
        return y.add(ComputeDtype.Linear(B, ComputeDtype.Linear(A, input)), s);
    }

    /// <summary>x with each element kept with probability 1 − p and scaled by 1 / (1 − p) (inverted dropout); the mask is drawn
    /// on the CPU generator (0.107 makes no CUDA one) and moved to x's device.</summary>
    Tensor Dropped(Tensor x)
    {
        using var keep = (1 - _dropout).ToScalar();
        using var scale = (1 / (1 - _dropout)).ToScalar();
        var mask = rand(x.shape, ScalarType.Float32, CPU, generator: Masks).lt(keep).to(x.device);
        return x.mul(mask.to_type(x.dtype)).mul(scale);
    }
}

public static class LoraAdapters
{
    /// <summary>The PEFT prefix of a causal LM's keys in adapter_model.safetensors (PeftModelForCausalLM → base_model.model).</summary>
    public const string PeftPrefix = "base_model.model.";

    static readonly ConditionalWeakTable<Linear, LoraAdapter> Adapters = new();
    static readonly ConditionalWeakTable<nn.Module, LoraConfig> Configs = new();
    static readonly ConditionalWeakTable<nn.Module, Generator> DropoutMasks = new();

    /// <summary>The adapter of <paramref name="layer"/>, or null when it has none.</summary>
    public static LoraAdapter? Of(Linear layer) => Adapters.TryGetValue(layer, out var a) ? a : null;

    /// <summary>The adapter settings of <paramref name="model"/>, or null when it has no adapters.</summary>
    public static LoraConfig? ConfigOf(object model) => model is nn.Module m && Configs.TryGetValue(m, out var c) ? c : null;

    /// <summary>Whether a state-dict key is an adapter's (lora_A / lora_B).</summary>
    public static bool IsAdapterKey(string key) => key.Contains(".lora_A.", StringComparison.Ordinal) || key.Contains(".lora_B.", StringComparison.Ordinal);

    /// <summary>
    /// Attaches adapters to every Linear of <paramref name="model"/> whose name ends in one of the targets (on the model's
    /// device, A drawn from torch's global generator), and freezes every other weight. Returns the adapters' parameters.
    /// </summary>
    public static IReadOnlyList<Parameter> Attach(nn.Module model, LoraConfig config)
    {
        if (Configs.TryGetValue(model, out _)) throw new InvalidOperationException("this model already has LoRA adapters");
        var targets = config.TargetModules.ToHashSet(StringComparer.Ordinal);
        var layers = model.named_modules().Where(m => m.module is Linear && targets.Contains(m.name.Split('.')[^1])).ToList();
        if (layers.Count == 0) throw new ArgumentException($"no Linear layer named {string.Join(", ", targets)} in this model: nothing to adapt");
        foreach (var p in model.parameters()) p.requires_grad = false;
        var trainable = new List<Parameter>();
        var masks = new Generator(0, CPU);
        DropoutMasks.AddOrUpdate(model, masks);
        foreach (var (_, module) in layers)
        {
            var linear = (Linear)module;
            var w = linear.weight!;
            var a = nn.Linear(w.shape[1], config.R, hasBias: false, device: w.device);     // kaiming-uniform, as PEFT's A
            var b = nn.Linear(config.R, w.shape[0], hasBias: false, device: w.device);
            using (no_grad()) b.weight!.zero_();                                           // B = 0: the adapted model starts as the base
            linear.register_module("lora_A", a);
            linear.register_module("lora_B", b);
            Adapters.AddOrUpdate(linear, new LoraAdapter(a, b, config.Scaling, config.Dropout, masks));
            trainable.Add(a.weight!);
            trainable.Add(b.weight!);
        }
        Configs.AddOrUpdate(model, config);
        return trainable;
    }

    /// <summary>Reseeds the dropout masks of <paramref name="model"/>'s adapters for one step (nothing without adapters): a
    /// step draws the same masks whether the run went straight through or resumed before it.</summary>
    public static void SeedStep(object model, long seed)
    {
        if (model is nn.Module m && DropoutMasks.TryGetValue(m, out var g)) g.manual_seed(seed);
    }

    /// <summary>The dropout generator of the adapters inside <paramref name="module"/> (a decoder layer), or null when it has none.</summary>
    public static Generator? MasksIn(nn.Module module) =>
        module.named_modules().Select(m => m.module is Linear l ? Of(l)?.Masks : null).FirstOrDefault(g => g is not null);

    /// <summary>Turns every adapter of <paramref name="model"/> on or off (off: the base network).</summary>
    public static void SetEnabled(nn.Module model, bool on)
    {
        foreach (var (_, module) in model.named_modules())
            if (module is Linear l && Of(l) is { } a) a.Enabled = on;
    }

    /// <summary>The adapters' weights under PEFT's keys (base_model.model.…lora_A.weight), on the CPU in fp32.</summary>
    public static Dictionary<string, Tensor> PeftWeights(nn.Module model) => model.state_dict()
        .Where(kv => IsAdapterKey(kv.Key))
        .ToDictionary(kv => PeftPrefix + kv.Key, kv => kv.Value.detach().to(CPU).to_type(ScalarType.Float32));

    /// <summary>Writes the adapter as PEFT does: adapter_config.json and adapter_model.safetensors.</summary>
    public static void Save(nn.Module model, string dir, string? baseModel = null)
    {
        var config = ConfigOf(model) ?? throw new InvalidOperationException("this model has no LoRA adapters to save");
        Directory.CreateDirectory(dir);
        using var scope = NewDisposeScope();
        SafeTensors.Save(Path.Combine(dir, LoraConfig.WeightsFile), PeftWeights(model), new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(dir, LoraConfig.ConfigFile), config.ToPeftJson(baseModel));
    }

    /// <summary>Attaches the adapter saved in <paramref name="dir"/> (PEFT's files) to <paramref name="model"/> and loads its
    /// weights; a clear error for a missing file, a missing key or a shape that does not fit.</summary>
    public static LoraConfig Load(nn.Module model, string dir)
    {
        var configFile = Path.Combine(dir, LoraConfig.ConfigFile);
        var weightsFile = Path.Combine(dir, LoraConfig.WeightsFile);
        if (!File.Exists(configFile)) throw new FileNotFoundException($"no {LoraConfig.ConfigFile} in {dir} (not a PEFT adapter folder)", configFile);
        if (!File.Exists(weightsFile)) throw new FileNotFoundException($"no {LoraConfig.WeightsFile} in {dir}", weightsFile);
        var config = LoraConfig.FromPeftJson(File.ReadAllText(configFile), configFile);
        Attach(model, config);
        LoadWeights(model, dir);
        return config;
    }

    /// <summary>Copies a saved adapter's weights into the adapters already attached to <paramref name="model"/>.</summary>
    public static void LoadWeights(nn.Module model, string dir)
    {
        var saved = SafeTensors.Load(Path.Combine(dir, LoraConfig.WeightsFile));
        try
        {
            using var _ = no_grad();
            foreach (var (key, target) in model.state_dict().Where(kv => IsAdapterKey(kv.Key)))
            {
                if (!saved.TryGetValue(PeftPrefix + key, out var source))
                    throw new InvalidDataException($"{dir}: the adapter lacks {PeftPrefix + key}");
                if (!source.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"{PeftPrefix + key}: saved [{string.Join(", ", source.shape)}] ≠ model [{string.Join(", ", target.shape)}]");
                target.copy_(source);
            }
        }
        finally { foreach (var t in saved.Values) t.Dispose(); }
    }

    /// <summary>The model's state dict with every adapter folded into its weight, W + (α/r)·B·A, and no adapter keys: what a
    /// merged Hugging Face folder holds. Without adapters, the state dict as it is.</summary>
    public static Dictionary<string, Tensor> Merged(nn.Module model)
    {
        var deltas = new Dictionary<string, LoraAdapter>();
        foreach (var (name, module) in model.named_modules())
            if (module is Linear l && Of(l) is { } a) deltas[name + ".weight"] = a;
        var merged = new Dictionary<string, Tensor>();
        using var _ = no_grad();
        foreach (var (key, value) in model.state_dict())
        {
            if (IsAdapterKey(key)) continue;
            if (!deltas.TryGetValue(key, out var a)) { merged[key] = value; continue; }
            using var s = a.Scaling.ToScalar();
            var w32 = value.to_type(ScalarType.Float32);
            merged[key] = w32.add(a.B.weight!.to_type(ScalarType.Float32).matmul(a.A.weight!.to_type(ScalarType.Float32)), s).to_type(value.dtype);
        }
        return merged;
    }
}
