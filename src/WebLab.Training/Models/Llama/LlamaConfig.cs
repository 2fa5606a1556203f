// Hyper-parameters of a Llama-family decoder, bound to a Hugging Face config.json (LlamaConfig / Qwen2Config names).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebLab.Training.Models.Llama;

public sealed record LlamaConfig
{
    [JsonPropertyName("model_type")] public string ModelType { get; init; } = "llama";
    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 512;
    /// <summary>Model width d (HF: hidden_size).</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 64;
    /// <summary>SwiGLU inner width (HF: intermediate_size).</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 172;
    [JsonPropertyName("num_hidden_layers")] public int NumLayers { get; init; } = 5;
    [JsonPropertyName("num_attention_heads")] public int NumHeads { get; init; } = 8;
    /// <summary>Grouped-query attention: heads of K and V; NumHeads must be a multiple of it.</summary>
    [JsonPropertyName("num_key_value_heads")] public int NumKvHeads { get; init; } = 4;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 512;
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEps { get; init; } = 1e-5;
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;
    /// <summary>True when lm_head shares the embedding matrix (llama2c stories, Qwen2.5-0.5B).</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;
    /// <summary>Qwen2 puts a bias on q/k/v projections; Llama does not.</summary>
    [JsonPropertyName("attention_bias")] public bool AttentionBias { get; init; }
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; }
    /// <summary>End-of-sequence ids: HF writes one int (Llama 2, Qwen2) or a list (Llama 3).</summary>
    [JsonPropertyName("eos_token_id"), JsonConverter(typeof(IntOrListConverter))] public int[]? EosTokenIds { get; init; }
    /// <summary>Std of the normal init of linear and embedding weights for models trained from scratch (HF default 0.02).</summary>
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("torch_dtype")] public string TorchDtype { get; init; } = "float32";
    /// <summary>Rotary frequency scaling: null (none) or Llama 3.1/3.2's "llama3" rule; other kinds are refused.</summary>
    [JsonPropertyName("rope_scaling"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public RopeScaling? RopeScaling { get; init; }
    /// <summary>HF's explicit head size (Llama 3.2 writes it); must equal hidden_size / num_attention_heads here.</summary>
    [JsonPropertyName("head_dim"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? HeadDimDeclared { get; init; }
    /// <summary>Qwen2's sliding-window attention; only off is supported (every released Qwen2.5 ships it off).</summary>
    [JsonPropertyName("use_sliding_window"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool UseSlidingWindow { get; init; }
    /// <summary>HF's class names ("LlamaForCausalLM", "Qwen2ForSequenceClassification"); kept when a folder is saved back.</summary>
    [JsonPropertyName("architectures"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string[]? Architectures { get; init; }
    /// <summary>Sequence classification: the number of score outputs (1 for a reward model).</summary>
    [JsonPropertyName("num_labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? NumLabels { get; init; }
    [JsonPropertyName("pad_token_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? PadTokenId { get; init; }

    /// <summary>Qwen2-VL's multimodal rotary sections (temporal, height, width frequencies of each half head; Qwen2.5-VL:
    /// [16, 24, 24]): positions are then three rows [3, B, T]. Set by Qwen25VlConfig from its rope_scaling, never read from
    /// a Llama config.json.</summary>
    [JsonIgnore] public int[]? MropeSection { get; init; }

    [JsonIgnore] public int HeadDim => HiddenSize / NumHeads;

    public static LlamaConfig FromJson(string json)
    {
        var config = JsonSerializer.Deserialize<LlamaConfig>(json) ?? throw new InvalidDataException("config.json is empty");
        // Qwen2's config has no attention_bias key: its q/k/v projections always carry one.
        if (config.ModelType == "qwen2" && !System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject().ContainsKey("attention_bias"))
            config = config with { AttentionBias = true };
        return config;
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Throws with a clear message when the shapes cannot form a model.</summary>
    public void Validate()
    {
        if (VocabSize <= 0 || HiddenSize <= 0 || NumLayers <= 0 || NumHeads <= 0 || NumKvHeads <= 0 || IntermediateSize <= 0)
            throw new InvalidDataException($"config: sizes must be positive ({this})");
        if (HiddenSize % NumHeads != 0) throw new InvalidDataException($"config: hidden_size {HiddenSize} is not a multiple of num_attention_heads {NumHeads}");
        if (NumHeads % NumKvHeads != 0) throw new InvalidDataException($"config: num_attention_heads {NumHeads} is not a multiple of num_key_value_heads {NumKvHeads}");
        if (HeadDim % 2 != 0) throw new InvalidDataException($"config: head size {HeadDim} must be even for rotary embeddings");
        if (HeadDimDeclared is { } hd && hd != HeadDim)
            throw new InvalidDataException($"config: head_dim {hd} differs from hidden_size / num_attention_heads = {HeadDim}, which this decoder assumes");
        if (UseSlidingWindow) throw new InvalidDataException("config: use_sliding_window is not supported (Qwen2's sliding-window attention)");
        RopeScaling?.Validate();
    }
}

/// <summary>Reads an int or a list of ints as int[]; writes a single id as a plain int.</summary>
public sealed class IntOrListConverter : JsonConverter<int[]?>
{
    public override int[]? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.Number => [reader.GetInt32()],
        JsonTokenType.StartArray => JsonSerializer.Deserialize<int[]>(ref reader, options),
        _ => throw new JsonException("expected an int or a list of ints"),
    };

    public override void Write(Utf8JsonWriter writer, int[]? value, JsonSerializerOptions options)
    {
        if (value is null) writer.WriteNullValue();
        else if (value.Length == 1) writer.WriteNumberValue(value[0]);
        else JsonSerializer.Serialize(writer, value, options);
    }
}

/// <summary>HF's rope_scaling block; "llama3" (Llama 3.1 / 3.2) is the one kind implemented (RotaryEmbedding.Llama3Scaled).</summary>
public sealed record RopeScaling
{
    /// <summary>"rope_type" in new configs, "type" in older ones.</summary>
    [JsonPropertyName("rope_type")] public string? RopeType { get; init; }
    [JsonPropertyName("type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? LegacyType { get; init; }
    [JsonPropertyName("factor")] public double Factor { get; init; } = 1;
    [JsonPropertyName("low_freq_factor")] public double LowFreqFactor { get; init; } = 1;
    [JsonPropertyName("high_freq_factor")] public double HighFreqFactor { get; init; } = 4;
    [JsonPropertyName("original_max_position_embeddings")] public int OriginalMaxPositions { get; init; } = 8192;

    [JsonIgnore] public string Kind => RopeType ?? LegacyType ?? "default";

    public void Validate()
    {
        if (Kind is not ("llama3" or "default"))
            throw new InvalidDataException($"config: rope_scaling type '{Kind}' is not supported (only llama3)");
        if (Kind == "llama3" && (Factor <= 0 || HighFreqFactor <= LowFreqFactor || OriginalMaxPositions <= 0))
            throw new InvalidDataException($"config: rope_scaling llama3 needs factor > 0, high_freq_factor > low_freq_factor and original_max_position_embeddings > 0 ({this})");
    }
}
