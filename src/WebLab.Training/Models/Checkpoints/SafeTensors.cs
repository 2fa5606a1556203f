// Reads and writes the safetensors format: u64-LE header length N, N bytes of JSON header (space-padded), raw LE data.
// Save is deterministic (sorted keys, no timestamps): the same tensors always give the same bytes.
using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Checkpoints;

public static class SafeTensors
{
    /// <summary>The safetensors library refuses headers past 100 MB; so do we, before allocating.</summary>
    const long MaxHeaderBytes = 100_000_000;

    /// <summary>Header dtype names (safetensors spelling) and their torch types.</summary>
    static readonly Dictionary<string, ScalarType> Dtypes = new(StringComparer.Ordinal)
    {
        ["F64"] = ScalarType.Float64, ["F32"] = ScalarType.Float32, ["F16"] = ScalarType.Float16, ["BF16"] = ScalarType.BFloat16,
        ["I64"] = ScalarType.Int64, ["I32"] = ScalarType.Int32, ["I16"] = ScalarType.Int16, ["I8"] = ScalarType.Int8,
        ["U8"] = ScalarType.Byte, ["BOOL"] = ScalarType.Bool,
    };

    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> in ordinal key order, through a temporary file
    /// renamed into place (a crash mid-save leaves the previous file intact). Tensors may live on any device.
    /// </summary>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors: big-endian hosts are not supported");
        var names = tensors.Keys.Order(StringComparer.Ordinal).ToArray();
        var header = Header(names, tensors, metadata);
        var tmp = path + ".tmp";
        using (var stream = new FileStream(tmp, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
        {
            stream.Write(BitConverter.GetBytes((ulong)header.Length));
            stream.Write(header);
            foreach (var name in names) TensorBytes.Write(stream, tensors[name]);
        }
        File.Move(tmp, path, overwrite: true);
    }

    /// <summary>Reads every tensor of the file (CPU, or <paramref name="device"/> when given), keyed by name.</summary>
    public static Dictionary<string, Tensor> Load(string path, Device? device = null)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var (entries, dataStart) = ReadHeader(stream, path);
        var result = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        try
        {
            foreach (var e in entries.OrderBy(e => e.Begin))   // file order: sequential reads
            {
                stream.Position = dataStart + e.Begin;
                var tensor = torch.empty(e.Shape, e.Type);
                TensorBytes.Read(stream, tensor);
                if (device is not null && device.type != DeviceType.CPU)
                {
                    using var cpuTensor = tensor;
                    tensor = cpuTensor.to(device);
                }
                result[e.Name] = tensor;
            }
        }
        catch
        {
            foreach (var t in result.Values) t.Dispose();
            throw;
        }
        return result.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
    }

    /// <summary>The string metadata of the header (<c>__metadata__</c>), without reading any tensor data.</summary>
    public static Dictionary<string, string> LoadMetadata(string path)
    {
        using var stream = File.OpenRead(path);
        using var doc = JsonDocument.Parse(ReadHeaderBytes(stream, path));
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (doc.RootElement.TryGetProperty("__metadata__", out var meta))
            foreach (var p in meta.EnumerateObject()) result[p.Name] = p.Value.GetString() ?? "";
        return result;
    }

    sealed record Entry(string Name, ScalarType Type, long[] Shape, long Begin, long End);

    // ----------------------------------------------------------------------------------------------------
    // header writing

    static byte[] Header(string[] names, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject("__metadata__");
                foreach (var key in metadata.Keys.Order(StringComparer.Ordinal)) json.WriteString(key, metadata[key]);
                json.WriteEndObject();
            }
            long offset = 0;
            foreach (var name in names)
            {
                var t = tensors[name];
                long size = t.NumberOfElements * t.ElementSize;
                json.WriteStartObject(name);
                json.WriteString("dtype", DtypeName(t.dtype, name));
                json.WriteStartArray("shape");
                foreach (var d in t.shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + size);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += size;
            }
            json.WriteEndObject();
        }
        // pad with spaces so the data starts 8-byte aligned, as the reference writer does
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    static string DtypeName(ScalarType type, string tensorName)
    {
        foreach (var (name, t) in Dtypes) if (t == type) return name;
        throw new NotSupportedException($"safetensors: tensor '{tensorName}' has dtype {type}, which this writer does not support");
    }

    // ----------------------------------------------------------------------------------------------------
    // header reading and validation

    static byte[] ReadHeaderBytes(FileStream stream, string path)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Corrupt(path, $"file is {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        ulong n = BitConverter.ToUInt64(lengthBytes);
        if (n > (ulong)(fileLength - 8)) throw Corrupt(path, $"header length {n} runs past the end of the {fileLength}-byte file (truncated or not safetensors)");
        if (n > MaxHeaderBytes) throw Corrupt(path, $"header length {n} exceeds the {MaxHeaderBytes}-byte limit");
        var header = new byte[n];
        stream.ReadExactly(header);
        return header;
    }

    static (List<Entry> Entries, long DataStart) ReadHeader(FileStream stream, string path)
    {
        var headerBytes = ReadHeaderBytes(stream, path);
        long dataStart = 8 + headerBytes.Length, dataLength = stream.Length - dataStart;
        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes); }
        catch (JsonException ex) { throw Corrupt(path, $"header is not valid JSON ({ex.Message})"); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw Corrupt(path, "header is not a JSON object");
            var entries = new List<Entry>();
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Name != "__metadata__") entries.Add(ParseEntry(p, dataLength, path));
            var duplicate = entries.GroupBy(e => e.Name).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw Corrupt(path, $"tensor '{duplicate.Key}' appears twice in the header");
            return (entries, dataStart);
        }
    }

    static Entry ParseEntry(JsonProperty p, long dataLength, string path)
    {
        try
        {
            var dtype = p.Value.GetProperty("dtype").GetString() ?? "";
            if (!Dtypes.TryGetValue(dtype, out var type))
                throw Corrupt(path, $"tensor '{p.Name}' has unknown dtype '{dtype}' (supported: {string.Join(", ", Dtypes.Keys)})");
            var shape = p.Value.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            var offsets = p.Value.GetProperty("data_offsets").EnumerateArray().Select(x => x.GetInt64()).ToArray();
            if (shape.Any(d => d < 0)) throw Corrupt(path, $"tensor '{p.Name}' has a negative dimension in shape [{string.Join(",", shape)}]");
            if (offsets.Length != 2) throw Corrupt(path, $"tensor '{p.Name}' needs data_offsets [begin, end], got {offsets.Length} numbers");
            var (begin, end) = (offsets[0], offsets[1]);
            if (begin < 0 || end < begin || end > dataLength)
                throw Corrupt(path, $"tensor '{p.Name}' data_offsets [{begin},{end}] are out of range of the {dataLength}-byte data section (truncated file?)");
            long expected = shape.Aggregate(1L, (a, d) => checked(a * d)) * ElementSize(type);
            if (end - begin != expected)
                throw Corrupt(path, $"tensor '{p.Name}' spans {end - begin} bytes but {dtype} [{string.Join(",", shape)}] needs {expected}");
            return new Entry(p.Name, type, shape, begin, end);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or FormatException or OverflowException)
        {
            throw Corrupt(path, $"tensor '{p.Name}' has a malformed header entry ({ex.Message})");
        }
    }

    static long ElementSize(ScalarType type) => type switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        _ => 1,
    };

    static InvalidDataException Corrupt(string path, string what) => new($"safetensors file '{path}': {what}");
}
