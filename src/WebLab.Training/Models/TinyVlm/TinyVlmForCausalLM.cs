// The tiny vision-language model: the Llama decoder (language_model) with a ViT-style encoder (vision_tower) and a
// projector (multi_modal_projector), LLaVA's layout. A prompt's image stands as a run of image_token_id placeholders,
// one per patch; the encoder's projected patch features replace those rows of the token embeddings
// (MediaEmbeddings.Insert), and the decoder runs on the result. Saved as an HF-style folder: config.json (model_type
// "tiny-vlm") + model.safetensors.
using TorchSharp;
using TorchSharp.Modules;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.Modules;
using WebLab.Training.Models.Vision;
using WebLab.Training.Runtime;
using static TorchSharp.torch;

namespace WebLab.Training.Models.TinyVlm;

public sealed class TinyVlmForCausalLM : nn.Module, IPolicy
{
    readonly LlamaForCausalLM language_model;
    readonly VisionTower vision_tower;
    readonly Projector multi_modal_projector;

    public TinyVlmConfig Config { get; }
    /// <summary>Placeholder runs of <see cref="TinyVlmConfig.ImageTokenId"/>, one per patch; pixels at the encoder's size.</summary>
    public IMediaProcessor Processor { get; }

    /// <summary>A fresh model (HF init for the decoder, PyTorch's for the encoder); built outside any dispose scope.</summary>
    public TinyVlmForCausalLM(TinyVlmConfig config) : this(config, new LlamaForCausalLM(config.Text)) { }

    TinyVlmForCausalLM(TinyVlmConfig config, LlamaForCausalLM decoder) : base("tiny_vlm")
    {
        config.Validate();
        Config = config;
        Processor = new TinyVlmProcessor(config);
        language_model = decoder;
        vision_tower = new VisionTower(config.Vision);
        multi_modal_projector = new Projector(config.Vision.HiddenSize, config.Text.HiddenSize);
        RegisterComponents();
    }

    public string Family => TinyVlmConfig.Type;
    public Device Device => language_model.Device;
    public int MaxPositions => language_model.MaxPositions;
    public LlamaForCausalLM LanguageModel => language_model;

    /// <summary>The decoder's compute dtype (the vision tower and projector run in their weights' dtype; their output is cast
    /// into the decoder's embeddings).</summary>
    public ScalarType ComputeDtype { get => language_model.ComputeDtype; set => language_model.ComputeDtype = value; }

    /// <summary>The decoder's layers (the tower is small beside it and runs as it is).</summary>
    /// <summary>Per decoder layer and per vision block.</summary>
    public bool ActivationCheckpointing
    {
        get => language_model.ActivationCheckpointing;
        set { language_model.ActivationCheckpointing = value; vision_tower.ActivationCheckpointing = value; }
    }

    public void HoldWeightsIn(ScalarType dtype)
    {
        this.to(dtype);
        language_model.ComputeDtype = dtype;
    }

    /// <summary>Projected image features [N, P, d] of pixels [N, C, S, S].</summary>
    public Tensor EncodeImages(Tensor pixels) => multi_modal_projector.forward(vision_tower.forward(pixels));

    /// <summary>
    /// tokens, positions [B, T]; media: each image's slot (its run of placeholders, as the <see cref="Processor"/> writes it).
    /// The processor reads the images (an image file or a registered scheme's URI), encoded in one batch, and put at their slots; then the decoder. Logits fp32 [B, T, V].
    /// </summary>
    public Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null) =>
        Forward(tokens, positions, cache, mask, media, lastOnly: false);

    /// <summary>As <see cref="Forward"/>, with the head on each row's last position only: logits [B, V].</summary>
    public Tensor ForwardLast(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null) =>
        Forward(tokens, positions, cache, mask, media, lastOnly: true)[.., 0];

    Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media, bool lastOnly)
    {
        var embeds = language_model.Embed(tokens);                                                    // [B, T, d]
        if (media is { Count: > 0 })
        {
            var pixels = Processor.Pixels(media, Device);                                           // [M, 3, S, S]
            var features = EncodeImages(pixels.to_type(embeds.dtype));                                // [M, P, d]
            embeds = MediaEmbeddings.Insert(embeds, media, Enumerable.Range(0, media.Count).Select(i => features[i]).ToList());
        }
        return language_model.ForwardEmbeddings(embeds, positions, cache, mask, lastOnly);
    }

    public KvCache NewCache(long batch, int capacity) => language_model.NewCache(batch, capacity);

    public void Save(string dir)
    {
        Directory.CreateDirectory(dir);
        using var scope = NewDisposeScope();
        var weights = Lora.LoraAdapters.Merged(this).ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(CPU).to_type(ScalarType.Float32));   // adapters folded in
        SafeTensors.Save(Path.Combine(dir, "model.safetensors"), weights, new Dictionary<string, string> { ["format"] = "pt" });
        File.WriteAllText(Path.Combine(dir, "config.json"), (Config with { Text = Config.Text with { TorchDtype = "float32" } }).ToJson());
    }

    /// <summary>Reads a folder <see cref="Save"/> wrote: clear errors for a missing file, a wrong model_type, a missing or misshapen tensor.</summary>
    public static TinyVlmForCausalLM Load(string dir, string device = "cpu")
    {
        var configFile = Path.Combine(dir, "config.json");
        var weightsFile = Path.Combine(dir, "model.safetensors");
        if (!File.Exists(configFile)) throw new FileNotFoundException($"no config.json in {dir}", configFile);
        if (!File.Exists(weightsFile)) throw new FileNotFoundException($"no model.safetensors in {dir}", weightsFile);
        var config = TinyVlmConfig.FromJson(File.ReadAllText(configFile));
        if (config.ModelType != TinyVlmConfig.Type) throw new InvalidDataException($"{configFile}: model_type '{config.ModelType}', expected '{TinyVlmConfig.Type}'");
        var model = new TinyVlmForCausalLM(config);                                                  // outside any scope
        StateDicts.CopyInto(model, SafeTensors.Load(weightsFile));
        model.to(TorchRuntime.Device(device));
        model.eval();
        return model;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            language_model.Dispose();
            vision_tower.Dispose();
            multi_modal_projector.Dispose();
        }
        base.Dispose(disposing);
    }
}
