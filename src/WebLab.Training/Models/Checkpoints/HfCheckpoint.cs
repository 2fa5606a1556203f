// A Hugging Face model folder: config.json + model.safetensors (or shards listed in model.safetensors.index.json),
// with Hugging Face Llama parameter names (model.layers.{i}.self_attn.q_proj.weight, ...; no lm_head.weight when tied).
using System.Text.Json;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Checkpoints;

public static class HfCheckpoint
{
    public const string ConfigFile = "config.json";
    public const string WeightsFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>
    /// Writes <c>config.json</c>, <c>model.safetensors</c> (metadata <c>format: pt</c>, as transformers writes it),
    /// <c>tokenizer.json</c> when given, and any <paramref name="extraFiles"/> (file name → text), creating the folder.
    /// </summary>
    public static void Save(string dir, LlamaConfig config, IReadOnlyDictionary<string, Tensor> stateDict,
        string? tokenizerJson = null, IReadOnlyDictionary<string, string>? extraFiles = null)
    {
        config.Validate();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ConfigFile), config.ToJson());
        SafeTensors.Save(Path.Combine(dir, WeightsFile), stateDict, new Dictionary<string, string> { ["format"] = "pt" });
        if (tokenizerJson is not null) File.WriteAllText(Path.Combine(dir, TokenizerFile), tokenizerJson);
        foreach (var (name, text) in extraFiles ?? new Dictionary<string, string>())
            File.WriteAllText(Path.Combine(dir, name), text);
    }

    public static LlamaConfig LoadConfig(string dir)
    {
        var path = Path.Combine(dir, ConfigFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint folder '{dir}' has no {ConfigFile}", path);
        var config = LlamaConfig.FromJson(File.ReadAllText(path));
        config.Validate();
        return config;
    }

    /// <summary>
    /// All tensors of <c>model.safetensors</c>, or of the shards named in <c>model.safetensors.index.json</c>
    /// (every weight_map entry must be found in its shard), on <paramref name="device"/> (CPU when null).
    /// </summary>
    public static Dictionary<string, Tensor> LoadStateDict(string dir, Device? device = null)
    {
        var single = Path.Combine(dir, WeightsFile);
        if (File.Exists(single)) return SafeTensors.Load(single, device);
        var index = Path.Combine(dir, IndexFile);
        if (File.Exists(index)) return LoadSharded(dir, index, device);
        throw new FileNotFoundException($"checkpoint folder '{dir}' has neither {WeightsFile} nor {IndexFile}");
    }

    static Dictionary<string, Tensor> LoadSharded(string dir, string indexPath, Device? device)
    {
        var weightMap = ReadWeightMap(indexPath);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var shard in weightMap.Values.Distinct().Order(StringComparer.Ordinal))
            {
                var shardPath = Path.Combine(dir, shard);
                if (!File.Exists(shardPath)) throw new FileNotFoundException($"{IndexFile} names shard '{shard}', which is not in '{dir}'", shardPath);
                foreach (var (name, tensor) in SafeTensors.Load(shardPath, device))
                {
                    if (weightMap.GetValueOrDefault(name) == shard && result.TryAdd(name, tensor)) continue;
                    tensor.Dispose();   // not listed for this shard (or a duplicate): the index is the authority
                }
            }
            var missing = weightMap.Keys.Where(k => !result.ContainsKey(k)).ToArray();
            if (missing.Length > 0)
                throw new InvalidDataException($"{indexPath}: {missing.Length} tensors of weight_map are absent from their shards, e.g. '{missing[0]}' (expected in '{weightMap[missing[0]]}')");
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
    }

    static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(indexPath));
            return doc.RootElement.GetProperty("weight_map").EnumerateObject()
                .ToDictionary(p => p.Name, p => p.Value.GetString() ?? throw new InvalidDataException($"{indexPath}: weight_map['{p.Name}'] is not a file name"), StringComparer.Ordinal);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{indexPath}: not a valid index ({ex.Message}); expected {{\"weight_map\": {{\"tensor name\": \"shard file\"}}}}", ex);
        }
    }
}
