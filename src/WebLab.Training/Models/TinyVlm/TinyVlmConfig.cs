// The tiny vision-language model's config.json (HF's LLaVA layout: a text_config, a vision_config and the image token):
// model_type "tiny-vlm", read by ModelFamilies.
using System.Text.Json;
using System.Text.Json.Serialization;
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Models.TinyVlm;

/// <summary>A ViT-style patch encoder: a square image cut into patch_size patches, one token a patch.</summary>
public sealed record TinyVisionConfig
{
    [JsonPropertyName("image_size")] public int ImageSize { get; init; } = 48;
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 16;
    [JsonPropertyName("num_channels")] public int Channels { get; init; } = 3;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 64;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 128;
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; } = 1;
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; } = 2;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-5;

    [JsonIgnore] public int PatchesPerSide => ImageSize / PatchSize;
    /// <summary>Image tokens per image: the length of an image's placeholder run in a prompt.</summary>
    [JsonIgnore] public int Patches => PatchesPerSide * PatchesPerSide;

    public void Validate()
    {
        if (ImageSize % PatchSize != 0) throw new InvalidDataException($"vision image_size {ImageSize} is not a multiple of patch_size {PatchSize}");
        if (HiddenSize % NumHeads != 0) throw new InvalidDataException($"vision hidden_size {HiddenSize} does not divide by num_attention_heads {NumHeads}");
    }
}

public sealed record TinyVlmConfig
{
    public const string Type = "tiny-vlm";
    static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    [JsonPropertyName("model_type")] public string ModelType { get; init; } = Type;
    [JsonPropertyName("text_config")] public LlamaConfig Text { get; init; } = new();
    [JsonPropertyName("vision_config")] public TinyVisionConfig Vision { get; init; } = new();
    /// <summary>The token id of the image placeholder: a prompt holds Vision.Patches of them where its image stands.</summary>
    [JsonPropertyName("image_token_id")] public int ImageTokenId { get; init; }

    public static TinyVlmConfig FromJson(string json) =>
        JsonSerializer.Deserialize<TinyVlmConfig>(json, Json) ?? throw new InvalidDataException("config.json is null");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public void Validate()
    {
        Text.Validate();
        Vision.Validate();
        if (ImageTokenId < 0 || ImageTokenId >= Text.VocabSize) throw new InvalidDataException($"image_token_id {ImageTokenId} outside the vocabulary ({Text.VocabSize})");
    }
}
