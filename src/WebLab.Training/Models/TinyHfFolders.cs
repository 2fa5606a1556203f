// Small random Hugging Face model folders in the layouts real checkpoints use — Llama or Qwen2, causal LM or reward
// model (sequence classification), tied or untied, fp32 / bf16 / fp16, one file or shards — each with a tiny byte-level
// BPE tokenizer.json carrying its family's special tokens. For tests, benchmarks and smoke runs: nothing can be
// downloaded here, and a real checkpoint is gigabytes.
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Models;

public sealed record TinyHfSpec
{
    /// <summary>"llama", "qwen2" (q/k/v biases, ChatML tokens) or "qwen2_5_vl" (Qwen2 with M-RoPE and a vision tower of
    /// <see cref="VisionDepth"/> blocks, window 2 × 2 merged tokens, full attention on the last block).</summary>
    public string Family { get; init; } = "llama";
    public bool RewardModel { get; init; }
    public bool Tied { get; init; } = true;
    /// <summary>float32, bfloat16 or float16 (the files' dtype and the config's torch_dtype).</summary>
    public string Dtype { get; init; } = "float32";
    /// <summary>Split the weights into shards of at most this many bytes (null: one model.safetensors).</summary>
    public long? MaxShardBytes { get; init; }
    public int Hidden { get; init; } = 32;
    public int Layers { get; init; } = 2;
    public int Heads { get; init; } = 4;
    public int KvHeads { get; init; } = 2;
    public int Intermediate { get; init; } = 64;
    public int MaxPositions { get; init; } = 512;
    /// <summary>Llama 3.1's rope_scaling block (factor 8, original context 64 so that it changes these tiny rotations).</summary>
    public bool Llama3RopeScaling { get; init; }
    public int Seed { get; init; } = 1;
    /// <summary>Qwen2.5-VL: transformers' newer layout (text_config, model.language_model.*, model.visual.*) instead of the released one.</summary>
    public bool NestedLayout { get; init; }
    /// <summary>Qwen2.5-VL: vision blocks (width 32, 2 heads, patch 14, merge 2).</summary>
    public int VisionDepth { get; init; } = 3;
    /// <summary>Qwen2.5-VL: the whole vision tower's shape instead of the tiny one (out_hidden_size follows <see cref="Hidden"/>).</summary>
    public Qwen25Vl.Qwen25VisionConfig? Vision { get; init; }
    /// <summary>tokenizer_config.json's chat_template (e.g. a real model's, so that it is recognised), or none.</summary>
    public string? ChatTemplate { get; init; }
    /// <summary>A folder holding a real tokenizer.json and tokenizer_config.json of the family (Llama 3's, Qwen2.5's) to copy
    /// instead of the tiny byte-level one: the vocabulary and the special ids are then the real ones (benchmarks at a real
    /// vocabulary size). Null: the tiny tokenizer.</summary>
    public string? TokenizerFrom { get; init; }
}

public static class TinyHfFolders
{
    /// <summary>Llama-3.2-3B's shape (and Skywork-Reward-V2-Llama-3.2-3B's, as a reward model): 28 layers of width 3072, 24
    /// heads over 8 KV heads, MLP 8192, vocabulary 128,256, tied embeddings.</summary>
    public static readonly LlamaConfig Llama32_3B = new()
    {
        VocabSize = 128_256, HiddenSize = 3072, IntermediateSize = 8192, NumLayers = 28, NumHeads = 24, NumKvHeads = 8,
        MaxPositions = 131_072, RopeTheta = 500_000, RmsNormEps = 1e-5, TieWordEmbeddings = true, TorchDtype = "bfloat16",
    };

    /// <summary>A folder with only the config.json of <paramref name="shape"/>, as a causal LM or a reward model: enough for a
    /// memory plan, which reads shapes, not weights (a real 3B checkpoint is gigabytes).</summary>
    public static string ShapeOnly(string dir, LlamaConfig shape, bool rewardModel = false)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), (shape with
        {
            ModelType = "llama", Architectures = [rewardModel ? "LlamaForSequenceClassification" : "LlamaForCausalLM"], NumLabels = rewardModel ? 1 : null,
        }).ToJson());
        return dir;
    }

    /// <summary>Writes config.json, the weights, tokenizer.json and tokenizer_config.json of <paramref name="spec"/> to <paramref name="dir"/>.</summary>
    public static void Write(string dir, TinyHfSpec spec)
    {
        if (spec.Family == Qwen25Vl.Qwen25VlConfig.Type) { WriteQwen25Vl(dir, spec); return; }
        var (tokenizerJson, special) = spec.TokenizerFrom is { } from ? RealTokenizer(from) : Tokenizer(spec.Family);
        var config = new LlamaConfig
        {
            ModelType = spec.Family, VocabSize = TokenizerVocab(special), HiddenSize = spec.Hidden, IntermediateSize = spec.Intermediate,
            NumLayers = spec.Layers, NumHeads = spec.Heads, NumKvHeads = spec.KvHeads, MaxPositions = spec.MaxPositions,
            TieWordEmbeddings = spec.Tied && !spec.RewardModel, AttentionBias = spec.Family == "qwen2", InitializerRange = 0.3,
            BosTokenId = spec.Family == "llama" ? special["<|begin_of_text|>"] : null,
            EosTokenIds = [spec.Family == "llama" ? special["<|eot_id|>"] : special["<|im_end|>"]],
            PadTokenId = spec.RewardModel ? special[spec.Family == "llama" ? "<|end_of_text|>" : "<|endoftext|>"] : null,
            RopeScaling = spec.Llama3RopeScaling ? new RopeScaling { RopeType = "llama3", Factor = 8, LowFreqFactor = 1, HighFreqFactor = 4, OriginalMaxPositions = 64 } : null,
            Architectures = [$"{(spec.Family == "qwen2" ? "Qwen2" : "Llama")}{(spec.RewardModel ? "ForSequenceClassification" : "ForCausalLM")}"],
            NumLabels = spec.RewardModel ? 1 : null,
        };
        if (spec.Family is not ("llama" or "qwen2")) throw new ArgumentException($"family '{spec.Family}': llama or qwen2");
        var layout = new HfLayout(spec.Dtype, spec.MaxShardBytes);
        if (spec.RewardModel) { using var m = new LlamaForSequenceClassification(config); Randomise(m, spec.Seed); m.Save(dir, layout); }
        else { using var m = new LlamaForCausalLM(config); Randomise(m, spec.Seed); LlamaLoader.SaveHfFolder(m, dir, layout); }
        // The Qwen2 config of transformers has no attention_bias key; write it as Qwen2 folders have it.
        if (spec.Family == "qwen2")
        {
            var path = Path.Combine(dir, HfCheckpoint.ConfigFile);
            var node = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            node.Remove("attention_bias");
            File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        File.WriteAllText(Path.Combine(dir, HfTokenizer.TokenizerFile), tokenizerJson);
        if (spec.TokenizerFrom is { } source)
        {
            File.Copy(Path.Combine(source, HfTokenizer.ConfigFile), Path.Combine(dir, HfTokenizer.ConfigFile), overwrite: true);
            return;
        }
        var tokenizerConfig = new JsonObject
        {
            ["bos_token"] = spec.Family == "llama" ? "<|begin_of_text|>" : null,
            ["eos_token"] = spec.Family == "llama" ? "<|eot_id|>" : "<|im_end|>",
            ["pad_token"] = spec.Family == "llama" ? "<|end_of_text|>" : "<|endoftext|>",
        };
        if (spec.ChatTemplate is not null) tokenizerConfig["chat_template"] = spec.ChatTemplate;
        File.WriteAllText(Path.Combine(dir, HfTokenizer.ConfigFile), tokenizerConfig.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>A tiny random Qwen2.5-VL folder: config.json, preprocessor_config.json (min 4 × 28², max 64 × 28² pixels), the
    /// weights in the spec's layout, dtype and shards, and the tiny ChatML tokenizer with the vision tokens.</summary>
    static void WriteQwen25Vl(string dir, TinyHfSpec spec)
    {
        var (tokenizerJson, special) = spec.TokenizerFrom is { } from ? RealTokenizer(from) : Tokenizer(spec.Family);
        var text = new LlamaConfig
        {
            ModelType = "qwen2", VocabSize = TokenizerVocab(special), HiddenSize = spec.Hidden, IntermediateSize = spec.Intermediate,
            NumLayers = spec.Layers, NumHeads = spec.Heads, NumKvHeads = spec.KvHeads, MaxPositions = spec.MaxPositions, RopeTheta = 10_000,
            RmsNormEps = 1e-6, TieWordEmbeddings = spec.Tied, AttentionBias = true, InitializerRange = 0.3,
            EosTokenIds = [special["<|im_end|>"]], BosTokenId = special["<|endoftext|>"],
        };
        int half = text.HeadDim / 2, hw = (half - half / 4) / 2;                     // sections (t, h, w): about 1 : 1.5 : 1.5, as [16, 24, 24]
        var config = new Qwen25Vl.Qwen25VlConfig
        {
            Text = text with { MropeSection = [half - 2 * hw, hw, hw] },
            Vision = spec.Vision is { } v ? v with { OutHiddenSize = spec.Hidden } : new Qwen25Vl.Qwen25VisionConfig
            {
                Depth = spec.VisionDepth, HiddenSize = 32, IntermediateSize = 48, NumHeads = 2, OutHiddenSize = spec.Hidden, PatchSize = 14,
                SpatialMergeSize = 2, TemporalPatchSize = 2, WindowSize = 56, FullAttentionBlocks = [spec.VisionDepth - 1],
            },
            ImageTokenId = special["<|image_pad|>"], VideoTokenId = special["<|video_pad|>"],
            VisionStartTokenId = special["<|vision_start|>"], VisionEndTokenId = special["<|vision_end|>"],
        };
        var image = new Qwen25Vl.Qwen25VlImageConfig { MinPixelsField = 4 * 28 * 28, MaxPixelsField = 64 * 28 * 28 };
        using (var m = new Qwen25Vl.Qwen25VlForConditionalGeneration(config, image) { Layout = spec.NestedLayout ? Qwen25Vl.Qwen25VlLayout.Nested : Qwen25Vl.Qwen25VlLayout.Released })
        {
            Randomise(m, spec.Seed);
            Qwen25Vl.Qwen25VlLoader.Save(m, dir, new HfLayout(spec.Dtype, spec.MaxShardBytes));
        }
        File.WriteAllText(Path.Combine(dir, HfTokenizer.TokenizerFile), tokenizerJson);
        var tokenizerConfig = new JsonObject { ["eos_token"] = "<|im_end|>", ["pad_token"] = "<|endoftext|>" };   // Qwen2.5-VL-Instruct's
        if (spec.ChatTemplate is not null) tokenizerConfig["chat_template"] = spec.ChatTemplate;
        File.WriteAllText(Path.Combine(dir, HfTokenizer.ConfigFile), tokenizerConfig.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>
    /// Weights from a generator of the folder's own (the global one is shared by whatever else runs): matrices and biases
    /// ~ N(0, 0.3) (non-zero biases, so that Qwen2's are seen to load), norms at 1.
    /// </summary>
    static void Randomise(torch.nn.Module module, int seed)
    {
        using var generator = new torch.Generator((ulong)seed);
        using var _ = torch.no_grad();
        foreach (var (name, p) in module.named_parameters().OrderBy(np => np.name, StringComparer.Ordinal))
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1);
            else if (name.Contains("visual.", StringComparison.Ordinal) && (name.EndsWith("norm1.weight", StringComparison.Ordinal) || name.EndsWith("norm2.weight", StringComparison.Ordinal) || name.EndsWith("ln_q.weight", StringComparison.Ordinal)))
                p.normal_(1, 0.1, generator);                                        // vision norms near 1, not 1: a swapped norm shows
            else if (name.Contains("visual.", StringComparison.Ordinal)) p.normal_(0, 0.05, generator);   // the tower's width is 32 and 1,176 inputs a patch
            else p.normal_(0, 0.3, generator);
    }

    static int TokenizerVocab(Dictionary<string, int> special) => special.Values.Max() + 1;

    /// <summary>A real tokenizer.json and its added tokens by name (the last id is the vocabulary's last).</summary>
    static (string Json, Dictionary<string, int> Special) RealTokenizer(string folder)
    {
        var json = File.ReadAllText(Path.Combine(folder, HfTokenizer.TokenizerFile));
        var added = JsonNode.Parse(json)!["added_tokens"]!.AsArray();
        return (json, added.ToDictionary(t => (string)t!["content"]!, t => (int)t!["id"]!));
    }

    /// <summary>
    /// A byte-level BPE tokenizer.json: the 256 byte characters, three merges (" t", "he", " the") and the family's
    /// added tokens after them; Llama 3's word regex.
    /// </summary>
    static (string Json, Dictionary<string, int> Special) Tokenizer(string family)
    {
        var vocab = new JsonObject();
        int id = 0;
        foreach (var b in Enumerable.Range(0, 256)) vocab[ByteLevel.CharOf((byte)b).ToString()] = id++;
        foreach (var merged in new[] { "Ġt", "he", "Ġthe" }) vocab[merged] = id++;
        var names = family == "llama"
            ? new[] { "<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>" }
            : family == "qwen2" ? ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
            : ["<|endoftext|>", "<|im_start|>", "<|im_end|>", "<|vision_start|>", "<|vision_end|>", "<|vision_pad|>", "<|image_pad|>", "<|video_pad|>"];
        var special = names.ToDictionary(n => n, _ => id++);
        var added = new JsonArray(special.Select(kv => (JsonNode)new JsonObject
        {
            ["id"] = kv.Value, ["content"] = kv.Key, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        }).ToArray());
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = family != "llama" ? new JsonObject { ["type"] = "NFC" } : null,
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject
                    {
                        ["type"] = "Split",
                        ["pattern"] = new JsonObject { ["Regex"] = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+" },
                        ["behavior"] = "Isolated", ["invert"] = false,
                    },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = false }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["ignore_merges"] = family == "llama", ["vocab"] = vocab,
                ["merges"] = new JsonArray("Ġ t", "h e", "Ġt he"),
            },
        };
        return (json.ToJsonString(), special);
    }
}
