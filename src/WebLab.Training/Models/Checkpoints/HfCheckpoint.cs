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
        string? tokenizerJson = null, IReadOnlyDictionary<string, string>? extraFiles = null, HfLayout? layout = null)
    {
        config.Validate();
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, ConfigFile), config.ToJson());
        SaveWeights(dir, stateDict, layout?.MaxShardBytes, layout?.WeightMap);
        if (tokenizerJson is not null) File.WriteAllText(Path.Combine(dir, TokenizerFile), tokenizerJson);
        foreach (var (name, text) in extraFiles ?? new Dictionary<string, string>())
            File.WriteAllText(Path.Combine(dir, name), text);
    }

    /// <summary>
    /// model.safetensors, or — when the tensors' bytes exceed <paramref name="maxShardBytes"/> — shards
    /// model-0000k-of-0000n.safetensors filled in name order up to that size, and the index naming each tensor's shard
    /// (transformers' save_pretrained layout); with <paramref name="weightMap"/>, the shards it names, each tensor in its
    /// file (a tensor it does not list is an error: the map is the folder's own).
    /// </summary>
    public static void SaveWeights(string dir, IReadOnlyDictionary<string, Tensor> stateDict, long? maxShardBytes, IReadOnlyDictionary<string, string>? weightMap = null)
    {
        var meta = new Dictionary<string, string> { ["format"] = "pt" };
        long Bytes(Tensor t) => t.NumberOfElements * t.ElementSize;
        long total = stateDict.Values.Sum(Bytes);
        List<(string File, List<string> Names)> shards;
        if (weightMap is not null)
        {
            var unlisted = stateDict.Keys.FirstOrDefault(k => !weightMap.ContainsKey(k));
            if (unlisted is not null) throw new InvalidDataException($"tensor '{unlisted}' has no shard in the folder's weight map");
            shards = stateDict.Keys.Order(StringComparer.Ordinal).GroupBy(n => weightMap[n]).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => (g.Key, g.ToList())).ToList();
        }
        else if (maxShardBytes is not { } max || total <= max)
        {
            SafeTensors.Save(Path.Combine(dir, WeightsFile), stateDict, meta);
            return;
        }
        else
        {
            var groups = new List<List<string>> { new() };
            long filled = 0;
            foreach (var name in stateDict.Keys.Order(StringComparer.Ordinal))
            {
                long size = Bytes(stateDict[name]);
                if (groups[^1].Count > 0 && filled + size > max) { groups.Add([]); filled = 0; }
                groups[^1].Add(name);
                filled += size;
            }
            shards = groups.Select((g, i) => ($"model-{i + 1:D5}-of-{groups.Count:D5}.safetensors", g)).ToList();
        }
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (file, names) in shards)
        {
            SafeTensors.Save(Path.Combine(dir, file), names.ToDictionary(n => n, n => stateDict[n]), meta);
            foreach (var n in names) map[n] = file;
        }
        var index = new { metadata = new { total_size = total }, weight_map = map };
        File.WriteAllText(Path.Combine(dir, IndexFile), JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The index's weight map when <paramref name="dir"/> holds a sharded checkpoint, else null (one file).</summary>
    public static IReadOnlyDictionary<string, string>? WeightMap(string dir) =>
        File.Exists(Path.Combine(dir, WeightsFile)) || !File.Exists(Path.Combine(dir, IndexFile)) ? null : ReadWeightMap(Path.Combine(dir, IndexFile));

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
