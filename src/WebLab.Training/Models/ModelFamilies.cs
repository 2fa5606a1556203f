// The model families this build loads, by the model_type of a checkpoint's config.json: each turns a saved folder into
// a policy. A new family (another architecture, a vision-language model) is one line here and its own folder.
using System.Text.Json;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.TinyVlm;

namespace WebLab.Training.Models;

public static class ModelFamilies
{
    static readonly Dictionary<string, Func<string, string, IPolicy>> ByModelType = new(StringComparer.Ordinal)
    {
        ["llama"] = (dir, device) => LlamaLoader.FromHfFolder(dir, device),
        ["qwen2"] = (dir, device) => LlamaLoader.FromHfFolder(dir, device),
        [TinyVlmConfig.Type] = (dir, device) => TinyVlmForCausalLM.Load(dir, device),
    };

    /// <summary>The folder's model, by its config's model_type; the Llama decoder reads any other (or a missing) type as before.</summary>
    public static IPolicy Load(string dir, string device = "cpu") =>
        (ByModelType.TryGetValue(ModelType(dir) ?? "", out var load) ? load : ByModelType["llama"])(dir, device);

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
