// How a Hugging Face folder stores its weights: the dtype its config names (torch_dtype) and whether they are split
// into shards — new shards of at most some size, or the very files a loaded folder had (its index's weight map).
// HfLayout.Of reads it from a folder, so a model can be saved back as it came.
using System.Text.Json;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Checkpoints;

public sealed record HfLayout(string Dtype, long? MaxShardBytes = null, IReadOnlyDictionary<string, string>? WeightMap = null)
{
    /// <summary>fp32 in one model.safetensors: what training checkpoints use (exact resume).</summary>
    public static readonly HfLayout Fp32 = new("float32");

    /// <summary>The tensor type of <see cref="Dtype"/> (float32, bfloat16 or float16, as HF's torch_dtype spells them).</summary>
    public ScalarType ScalarType => Dtype switch
    {
        "float32" => ScalarType.Float32,
        "bfloat16" => ScalarType.BFloat16,
        "float16" => ScalarType.Float16,
        _ => throw new InvalidDataException($"torch_dtype '{Dtype}' is not supported (float32, bfloat16 or float16)"),
    };

    /// <summary>The folder's torch_dtype (float32 when absent) and, when sharded, its weight map (tensor → shard file).</summary>
    public static HfLayout Of(string dir)
    {
        var config = Path.Combine(dir, HfCheckpoint.ConfigFile);
        string dtype = "float32";
        if (File.Exists(config))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(config));
            if (doc.RootElement.TryGetProperty("torch_dtype", out var t) && t.ValueKind == JsonValueKind.String) dtype = t.GetString()!;
        }
        var layout = new HfLayout(dtype, WeightMap: HfCheckpoint.WeightMap(dir));
        _ = layout.ScalarType;   // refuse an unsupported dtype now, by name
        return layout;
    }
}
