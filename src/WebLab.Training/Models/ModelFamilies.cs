// The model families this build loads, by the model_type of a checkpoint's config.json: each turns a saved folder into
// a policy. A new family (another architecture, a vision-language model) is one line here and its own folder.
using System.Text.Json;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.Qwen25Vl;
using WebLab.Training.Models.TinyVlm;

namespace WebLab.Training.Models;

public static class ModelFamilies
{
    static readonly Dictionary<string, Func<string, string, IPolicy>> ByModelType = new(StringComparer.Ordinal)
    {
        ["llama"] = (dir, device) => LlamaLoader.FromHfFolder(dir, device),
        ["qwen2"] = (dir, device) => LlamaLoader.FromHfFolder(dir, device),
        [TinyVlmConfig.Type] = (dir, device) => TinyVlmForCausalLM.Load(dir, device),
        [Qwen25VlConfig.Type] = (dir, device) => Qwen25VlLoader.Load(dir, device),
    };

    /// <summary>The model types this build loads as policies.</summary>
    public static IReadOnlyCollection<string> Supported => ByModelType.Keys;

    /// <summary>
    /// The folder's causal language model, by its config's model_type (a folder without a readable config goes to the
    /// Llama loader, which says what is missing). An unknown type or a reward-model folder is a clear error naming it.
    /// </summary>
    public static IPolicy Load(string dir, string device = "cpu")
    {
        var type = ModelType(dir);
        if (type is null) return ByModelType["llama"](dir, device);
        if (!ByModelType.TryGetValue(type, out var load))
            throw new NotSupportedException($"'{dir}': model_type '{type}' is not supported; this build loads {string.Join(", ", Supported)}");
        if (type is "llama" or "qwen2" && IsSequenceClassification(HfCheckpoint.LoadConfig(dir)))
            throw new InvalidDataException($"'{dir}' is a reward model (sequence classification), not a causal language model: use it as a reward model");
        return load(dir, device);
    }

    /// <summary>True when config.json's architectures name a sequence-classification head (a reward model).</summary>
    public static bool IsSequenceClassification(LlamaConfig config) =>
        config.Architectures?.Any(a => a.EndsWith("ForSequenceClassification", StringComparison.Ordinal)) == true;

    /// <summary>config.json's model_type, or null when the folder has no readable config (the loader then says why).</summary>
    public static string? ModelType(string dir)
    {
        var file = Path.Combine(dir, "config.json");
        if (!File.Exists(file)) return null;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            return doc.RootElement.TryGetProperty("model_type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        }
        catch (JsonException) { return null; }
    }
}
