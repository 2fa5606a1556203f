// Qwen2.5-VL's config.json in both layouts in circulation: the released checkpoints' (the text decoder's fields at the top
// level beside a vision_config) and transformers' newer one (a text_config block). Both are read into one record: the
// decoder as a Qwen2 LlamaConfig with M-RoPE's sections, the vision tower's own settings, and the special token ids.
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Models.Qwen25Vl;

/// <summary>The vision transformer (HF: Qwen2_5_VLVisionConfig); names as config.json writes them.</summary>
public sealed record Qwen25VisionConfig
{
    [JsonPropertyName("depth")] public int Depth { get; init; } = 32;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 1280;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3420;
    [JsonPropertyName("num_heads")] public int NumHeads { get; init; } = 16;
    /// <summary>Released configs write "in_chans", newer ones "in_channels" (read either).</summary>
    [JsonPropertyName("in_channels")] public int InChannels { get; init; } = 3;
    [JsonPropertyName("in_chans"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? InChansLegacy { get; init; }
    /// <summary>The decoder's width: the merger's output.</summary>
    [JsonPropertyName("out_hidden_size")] public int OutHiddenSize { get; init; } = 2048;
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 14;
    [JsonPropertyName("spatial_merge_size")] public int SpatialMergeSize { get; init; } = 2;
    [JsonPropertyName("temporal_patch_size")] public int TemporalPatchSize { get; init; } = 2;
    /// <summary>Window attention's window side in pixels (112: 4 × 4 merged tokens at patch 14, merge 2).</summary>
    [JsonPropertyName("window_size")] public int WindowSize { get; init; } = 112;
    /// <summary>Blocks that attend over the whole image; the others attend within windows.</summary>
    [JsonPropertyName("fullatt_block_indexes")] public int[] FullAttentionBlocks { get; init; } = [7, 15, 23, 31];
    [JsonPropertyName("tokens_per_second")] public double TokensPerSecond { get; init; } = 2;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "silu";

    [JsonIgnore] public int Channels => InChansLegacy ?? InChannels;
    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;
    /// <summary>Inputs of one patch: C · temporal_patch · patch².</summary>
    [JsonIgnore] public int PatchInputs => Channels * TemporalPatchSize * PatchSize * PatchSize;
    /// <summary>The window's side in merged tokens (HF: vit_merger_window_size).</summary>
    [JsonIgnore] public int MergedWindow => WindowSize / SpatialMergeSize / PatchSize;

    public void Validate()
    {
        if (Depth <= 0 || HiddenSize <= 0 || NumHeads <= 0 || IntermediateSize <= 0 || OutHiddenSize <= 0 || PatchSize <= 0 || SpatialMergeSize <= 0 || TemporalPatchSize <= 0)
            throw new InvalidDataException($"vision_config: sizes must be positive ({this})");
        if (HiddenSize % NumHeads != 0) throw new InvalidDataException($"vision_config: hidden_size {HiddenSize} is not a multiple of num_heads {NumHeads}");
        if (HeadDim % 4 != 0) throw new InvalidDataException($"vision_config: head size {HeadDim} must be a multiple of 4 (2-D rotary: half for rows, half for columns)");
        if (MergedWindow <= 0) throw new InvalidDataException($"vision_config: window_size {WindowSize} is smaller than one merged token ({SpatialMergeSize} × {PatchSize} pixels)");
        if (HiddenAct != "silu") throw new InvalidDataException($"vision_config: hidden_act '{HiddenAct}' is not supported (silu, as Qwen2.5-VL ships)");
        if (FullAttentionBlocks.Any(i => i < 0 || i >= Depth)) throw new InvalidDataException($"vision_config: fullatt_block_indexes [{string.Join(", ", FullAttentionBlocks)}] outside 0..{Depth - 1}");
    }
}

/// <summary>Where a folder's tensors live: the released checkpoints' names or transformers' newer ones.</summary>
public enum Qwen25VlLayout
{
    /// <summary>visual.*, model.* (the decoder), lm_head.*: the released Qwen2.5-VL checkpoints.</summary>
    Released,
    /// <summary>model.visual.*, model.language_model.*, lm_head.*: transformers' save_pretrained since 4.52.</summary>
    Nested,
}

public sealed record Qwen25VlConfig
{
    public const string Type = "qwen2_5_vl";

    /// <summary>The decoder: Qwen2 (q/k/v biases) with M-RoPE's sections in <see cref="LlamaConfig.MropeSection"/>.</summary>
    public required LlamaConfig Text { get; init; }
    public required Qwen25VisionConfig Vision { get; init; }
    public int ImageTokenId { get; init; } = 151655;
    public int VideoTokenId { get; init; } = 151656;
    public int VisionStartTokenId { get; init; } = 151652;
    public int VisionEndTokenId { get; init; } = 151653;
    /// <summary>Whether config.json had a text_config block (the newer layout).</summary>
    public bool NestedConfig { get; init; }

    /// <summary>Reads either layout. The decoder's fields come from text_config when present, else from the top level.</summary>
    public static Qwen25VlConfig FromJson(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new InvalidDataException("config.json is empty");
        var nested = root["text_config"] is JsonObject;
        var text = (nested ? root["text_config"]!.AsObject() : root).DeepClone().AsObject();
        foreach (var key in new[] { "vision_config", "text_config" }) text.Remove(key);
        // a text_config may omit what the top level states (released tools wrote both); the top level fills the gaps
        if (nested) foreach (var (key, value) in root) if (key is not ("vision_config" or "text_config") && !text.ContainsKey(key)) text[key] = value?.DeepClone();
        var rope = text["rope_scaling"] as JsonObject;
        var section = rope?["mrope_section"]?.AsArray().Select(v => (int)v!).ToArray()
            ?? throw new InvalidDataException("config.json: rope_scaling.mrope_section is missing (Qwen2.5-VL's multimodal rotary sections, e.g. [16, 24, 24])");
        var ropeType = (string?)rope!["rope_type"] ?? (string?)rope["type"] ?? "default";
        if (ropeType is not ("mrope" or "default"))
            throw new InvalidDataException($"config.json: rope_scaling type '{ropeType}' is not supported for {Type} (mrope)");
        text.Remove("rope_scaling");
        text["model_type"] = "qwen2";
        text["attention_bias"] = true;                                        // Qwen2's q/k/v always carry biases
        var vision = (root["vision_config"] as JsonObject)?.Deserialize<Qwen25VisionConfig>()
            ?? throw new InvalidDataException("config.json: vision_config is missing");
        int Id(string key, int fallback) => root[key] is JsonValue v ? (int)v : text[key] is JsonValue t ? (int)t : fallback;
        var config = new Qwen25VlConfig
        {
            Text = LlamaConfig.FromJson(text.ToJsonString()) with { MropeSection = section },
            Vision = vision,
            ImageTokenId = Id("image_token_id", 151655),
            VideoTokenId = Id("video_token_id", 151656),
            VisionStartTokenId = Id("vision_start_token_id", 151652),
            VisionEndTokenId = Id("vision_end_token_id", 151653),
            NestedConfig = nested,
        };
        config.Validate();
        return config;
    }

    /// <summary>config.json in the layout given (the released one unless <paramref name="nested"/>).</summary>
    public string ToJson(bool nested = false)
    {
        var text = JsonNode.Parse(Text.ToJson())!.AsObject();
        foreach (var key in new[] { "model_type", "architectures", "attention_bias" }) text.Remove(key);
        text["rope_scaling"] = new JsonObject { ["type"] = "mrope", ["mrope_section"] = new JsonArray(Text.MropeSection!.Select(s => (JsonNode)s).ToArray()) };
        var root = new JsonObject
        {
            ["model_type"] = Type,
            ["architectures"] = new JsonArray("Qwen2_5_VLForConditionalGeneration"),
            ["image_token_id"] = ImageTokenId, ["video_token_id"] = VideoTokenId,
            ["vision_start_token_id"] = VisionStartTokenId, ["vision_end_token_id"] = VisionEndTokenId,
            ["tie_word_embeddings"] = Text.TieWordEmbeddings,
            ["torch_dtype"] = Text.TorchDtype,
        };
        if (nested) root["text_config"] = text;
        else foreach (var (key, value) in text) root[key] = value?.DeepClone();
        root["vision_config"] = JsonSerializer.SerializeToNode(Vision);
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    public void Validate()
    {
        Text.Validate();
        Vision.Validate();
        if (Text.MropeSection is not { Length: 3 } s || s.Sum() * 2 != Text.HeadDim)
            throw new InvalidDataException($"config.json: mrope_section [{string.Join(", ", Text.MropeSection ?? [])}] must be three sections summing to half the head size ({Text.HeadDim / 2})");
        if (Vision.OutHiddenSize != Text.HiddenSize)
            throw new InvalidDataException($"config.json: vision_config.out_hidden_size {Vision.OutHiddenSize} differs from the decoder's hidden_size {Text.HiddenSize}");
        foreach (var (name, id) in new[] { ("image_token_id", ImageTokenId), ("vision_start_token_id", VisionStartTokenId), ("vision_end_token_id", VisionEndTokenId) })
            if (id < 0 || id >= Text.VocabSize) throw new InvalidDataException($"config.json: {name} {id} is outside the vocabulary ({Text.VocabSize})");
    }
}
