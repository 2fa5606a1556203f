// Qwen2.5-VL (HF: Qwen2_5_VLForConditionalGeneration): the vision transformer (visual) and the Qwen2 decoder with M-RoPE
// (language_model, this lab's Llama-family decoder). A prompt's image stands as its run of image_pad tokens, as many as
// the processor gives for that image's size; the tower's merged tokens replace those rows of the token embeddings
// (MediaEmbeddings.Insert), and positions are M-RoPE's three rows [3, B, T] from the processor. Loads and saves both
// checkpoint layouts (Qwen25VlConfig, Qwen25VlLayout): a folder is written back in the layout it came in.
using TorchSharp;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.Modules;
using WebLab.Training.Runtime;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Qwen25Vl;

public sealed class Qwen25VlForConditionalGeneration : nn.Module, IPolicy
{
    readonly Qwen25VisionTower visual;
    readonly LlamaForCausalLM language_model;
    readonly Qwen25VlProcessor processor;

    public Qwen25VlConfig Config { get; }
    /// <summary>The tensor names the folder it came from used (saved back the same way).</summary>
    public Qwen25VlLayout Layout { get; init; } = Qwen25VlLayout.Released;

    /// <summary>A fresh model (HF's init: normal(0, initializer_range) matrices, zero biases, unit norms); built outside any scope.</summary>
    public Qwen25VlForConditionalGeneration(Qwen25VlConfig config, Qwen25VlImageConfig image) : base("qwen2_5_vl")
    {
        config.Validate();
        Config = config;
        visual = new Qwen25VisionTower(config.Vision);
        language_model = new LlamaForCausalLM(config.Text);
        processor = new Qwen25VlProcessor(config, image);
        RegisterComponents();
        InitVision(config.Text.InitializerRange);
    }

    void InitVision(double std)
    {
        using var _ = no_grad();
        foreach (var (name, p) in visual.named_parameters())
            if (name.EndsWith("norm1.weight", StringComparison.Ordinal) || name.EndsWith("norm2.weight", StringComparison.Ordinal) || name.EndsWith("ln_q.weight", StringComparison.Ordinal)) p.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0, std);
    }

    public string Family => Qwen25VlConfig.Type;
    public Device Device => language_model.Device;
    public int MaxPositions => language_model.MaxPositions;
    public IMediaProcessor Processor => processor;
    public Qwen25VlProcessor ImageProcessor => processor;
    public LlamaForCausalLM LanguageModel => language_model;
    public Qwen25VisionTower Visual => visual;

    public ScalarType ComputeDtype { get => language_model.ComputeDtype; set => language_model.ComputeDtype = value; }

    /// <summary>Per decoder layer and per vision block.</summary>
    public bool ActivationCheckpointing
    {
        get => language_model.ActivationCheckpointing;
        set { language_model.ActivationCheckpointing = value; visual.ActivationCheckpointing = value; }
    }

    public void HoldWeightsIn(ScalarType dtype)
    {
        this.to(dtype);
        language_model.ComputeDtype = dtype;
    }

    /// <summary>The decoder tokens [Σ T·(H/m)·(W/m), d] of the slots' images, in slot order (the tower runs in its weights' dtype).</summary>
    public Tensor EncodeImages(IReadOnlyList<MediaSlot> media) =>
        visual.Forward(processor.Pixels(media, Device), processor.Grids(media));

    public Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null) =>
        Forward(tokens, positions, cache, mask, media, lastOnly: false);

    public Tensor ForwardLast(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null) =>
        Forward(tokens, positions, cache, mask, media, lastOnly: true)[.., 0];

    /// <summary>tokens [B, T]; positions [3, B, T] (or [B, T] for text, one axis); media: each image's run of image_pad tokens.</summary>
    Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media, bool lastOnly)
    {
        var embeds = language_model.Embed(tokens);                                                  // [B, T, d]
        if (media is { Count: > 0 })
        {
            var features = EncodeImages(media);                                                     // [Σ L, d]
            var lengths = media.Select(m => (long)m.Media.Length).ToArray();
            if (lengths.Sum() != features.shape[0])
                throw new ArgumentException($"the prompts hold {lengths.Sum()} image_pad tokens, but their images make {features.shape[0]} (the processor's count for each image's size)");
            embeds = MediaEmbeddings.Insert(embeds, media, features.split(lengths, 0));
        }
        return language_model.ForwardEmbeddings(embeds, positions, cache, mask, lastOnly);
    }

    public KvCache NewCache(long batch, int capacity) => language_model.NewCache(batch, capacity);

    /// <summary>config.json, preprocessor_config.json and model.safetensors (fp32, adapters folded in), in <see cref="Layout"/>.</summary>
    public void Save(string dir) => Qwen25VlLoader.Save(this, dir, HfLayout.Fp32);

    protected override void Dispose(bool disposing)
    {
        if (disposing) { visual.Dispose(); language_model.Dispose(); }
        base.Dispose(disposing);
    }
}

/// <summary>Reads and writes Qwen2.5-VL folders: either layout, tied or untied head, one file or shards, fp32/bf16/fp16.</summary>
public static class Qwen25VlLoader
{
    /// <summary>This module's tensor name for a checkpoint's name in <paramref name="layout"/> (null: not a tensor of the model).</summary>
    public static string? ModuleName(string key, Qwen25VlLayout layout) => layout switch
    {
        Qwen25VlLayout.Released when key.StartsWith("visual.", StringComparison.Ordinal) => key,
        Qwen25VlLayout.Released when key.StartsWith("model.", StringComparison.Ordinal) => "language_model." + key,
        Qwen25VlLayout.Nested when key.StartsWith("model.visual.", StringComparison.Ordinal) => key["model.".Length..],
        Qwen25VlLayout.Nested when key.StartsWith("model.language_model.", StringComparison.Ordinal) => "language_model.model." + key["model.language_model.".Length..],
        _ when key.StartsWith("lm_head.", StringComparison.Ordinal) => "language_model." + key,
        _ => null,
    };

    /// <summary>The checkpoint's name in <paramref name="layout"/> of this module's tensor <paramref name="name"/>.</summary>
    public static string CheckpointName(string name, Qwen25VlLayout layout) =>
        name.StartsWith("visual.", StringComparison.Ordinal) ? (layout == Qwen25VlLayout.Nested ? "model." + name : name)
        : name.StartsWith("language_model.model.", StringComparison.Ordinal) ? (layout == Qwen25VlLayout.Nested ? "model.language_model." : "model.") + name["language_model.model.".Length..]
        : name.StartsWith("language_model.lm_head.", StringComparison.Ordinal) ? name["language_model.".Length..]
        : throw new ArgumentException($"'{name}' is not a Qwen2.5-VL tensor");

    /// <summary>The layout of a state dict: nested when any name starts model.language_model. or model.visual.</summary>
    public static Qwen25VlLayout LayoutOf(IEnumerable<string> keys) =>
        keys.Any(k => k.StartsWith("model.language_model.", StringComparison.Ordinal) || k.StartsWith("model.visual.", StringComparison.Ordinal))
            ? Qwen25VlLayout.Nested : Qwen25VlLayout.Released;

    public static Qwen25VlForConditionalGeneration Load(string dir, string device = "cpu", string dtype = "fp32")
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"model folder not found: {dir}");
        var configPath = Path.Combine(dir, HfCheckpoint.ConfigFile);
        if (!File.Exists(configPath)) throw new FileNotFoundException($"checkpoint folder '{dir}' has no {HfCheckpoint.ConfigFile}", configPath);
        var config = Qwen25VlConfig.FromJson(File.ReadAllText(configPath));
        var image = Qwen25VlImageConfig.Read(dir);
        var weights = HfCheckpoint.LoadStateDict(dir, CPU);
        var layout = LayoutOf(weights.Keys);
        var renamed = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (key, value) in weights)
            if (ModuleName(key, layout) is { } name) renamed[name] = value;
            else value.Dispose();
        if (!config.Text.TieWordEmbeddings && !renamed.ContainsKey("language_model.lm_head.weight"))
            throw new InvalidDataException($"'{dir}': tie_word_embeddings is false but the checkpoint has no lm_head.weight");
        return LlamaLoader.Build(() => new Qwen25VlForConditionalGeneration(config, image) { Layout = layout }, renamed, device, dtype);
    }

    /// <summary>Writes config.json (in the layout's form), preprocessor_config.json and the weights in <paramref name="files"/>'
    /// dtype and shards, named as <see cref="Qwen25VlForConditionalGeneration.Layout"/> names them.</summary>
    public static void Save(Qwen25VlForConditionalGeneration model, string dir, HfLayout files)
    {
        Directory.CreateDirectory(dir);
        using var scope = NewDisposeScope();
        var weights = Lora.LoraAdapters.Merged(model).ToDictionary(kv => CheckpointName(kv.Key, model.Layout), kv => kv.Value.detach().to(CPU).to_type(files.ScalarType));
        var config = model.Config with { Text = model.Config.Text with { TorchDtype = files.Dtype } };
        File.WriteAllText(Path.Combine(dir, HfCheckpoint.ConfigFile), config.ToJson(nested: model.Layout == Qwen25VlLayout.Nested));
        File.WriteAllText(Path.Combine(dir, Qwen25VlImageConfig.File), model.ImageProcessor.Image.ToJson());
        HfCheckpoint.SaveWeights(dir, weights, files.MaxShardBytes, files.WeightMap);
    }
}
