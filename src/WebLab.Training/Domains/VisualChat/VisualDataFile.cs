// Visual questions in the public layout (EasyR1's datasets, Vision-SR1-47K and -Cold-9K): rows with `problem`, `answer`
// and `images`, in Parquet (as Hugging Face datasets write it: images a list of {bytes, path} structs, or of paths) or
// JSON Lines (images a list of paths, or of {"path"} / {"bytes": base64} objects). Paths are relative to the file.
// Embedded bytes are written once, by content hash, to ".weblab-images" beside the file (a temporary folder when that
// one cannot be written), so every image is a file a processor reads and the lab can show. An optional `response`
// column is a cold start's target answer. Every fault names the file and the row: a missing image, an empty answer, a
// file that is not Parquet.
using System.Security.Cryptography;
using System.Text.Json;
using Parquet.Serialization;

namespace WebLab.Training.Domains.VisualChat;

/// <summary>One row: the question (EasyR1's `&lt;image&gt;` marks removed), the answer, the image files, an optional
/// target response, and where it came from.</summary>
public sealed record VisualRow(string Problem, string Answer, IReadOnlyList<string> Images, string? Response, string File, int Row);

public static class VisualDataFile
{
    public const string ImageMark = "<image>";

    /// <summary>The rows of a .parquet or .jsonl file; a clear error naming the file and row for anything it cannot use.</summary>
    public static IReadOnlyList<VisualRow> Read(string path)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"no data file at '{path}'", path);
        var ext = Path.GetExtension(path).ToLowerInvariant();
        var raw = ext switch
        {
            ".parquet" => Parquet(path),
            ".jsonl" or ".json" => JsonLines(path),
            _ => throw new InvalidDataException($"{path}: a data file is .parquet or .jsonl (problem, answer, images), not '{ext}'"),
        };
        if (raw.Count == 0) throw new InvalidDataException($"{path}: no rows");
        return raw.Select((r, i) => Row(path, i + 1, r.Problem, r.Answer, r.Images, r.Response)).ToList();
    }

    record RawImage(string? Path, byte[]? Bytes);

    static VisualRow Row(string file, int row, string? problem, string? answer, IReadOnlyList<RawImage> images, string? response)
    {
        string Where() => $"{file}, row {row}";
        if (string.IsNullOrWhiteSpace(problem)) throw new InvalidDataException($"{Where()}: empty problem");
        if (string.IsNullOrWhiteSpace(answer)) throw new InvalidDataException($"{Where()}: empty answer");
        if (images.Count == 0) throw new InvalidDataException($"{Where()}: no image (a visual question needs one in `images`)");
        var dir = Path.GetDirectoryName(Path.GetFullPath(file))!;
        var files = images.Select((img, k) =>
        {
            if (img.Bytes is { Length: > 0 } bytes) return Store(dir, bytes, $"{Where()}, image {k + 1}");
            if (string.IsNullOrWhiteSpace(img.Path)) throw new InvalidDataException($"{Where()}, image {k + 1}: neither bytes nor a path");
            var full = Path.GetFullPath(Path.Combine(dir, img.Path));
            if (!System.IO.File.Exists(full)) throw new InvalidDataException($"{Where()}, image {k + 1}: no image file at '{full}'");
            return full;
        }).ToList();
        return new VisualRow(problem.Replace(ImageMark, "").Trim(), answer.Trim(), files, string.IsNullOrWhiteSpace(response) ? null : response, file, row);
    }

    /// <summary>Writes embedded image bytes by content hash (once) and returns the file; checks they decode.</summary>
    static string Store(string dir, byte[] bytes, string where)
    {
        try { using var _ = Models.Vision.ImagePixels.Decode(bytes); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{where}: the embedded bytes are not an image ({e.Message})"); }
        var name = Convert.ToHexStringLower(SHA256.HashData(bytes))[..32] + ".img";
        foreach (var folder in new[] { Path.Combine(dir, ".weblab-images"), Path.Combine(Path.GetTempPath(), "weblab-images") })
        {
            try
            {
                Directory.CreateDirectory(folder);
                var target = Path.Combine(folder, name);
                if (!System.IO.File.Exists(target))
                {
                    var tmp = target + "." + Guid.NewGuid().ToString("N")[..8];
                    System.IO.File.WriteAllBytes(tmp, bytes);
                    System.IO.File.Move(tmp, target, overwrite: true);
                }
                return target;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        throw new IOException($"{where}: could not write the embedded image anywhere");
    }

    static List<(string? Problem, string? Answer, IReadOnlyList<RawImage> Images, string? Response)> JsonLines(string path)
    {
        var rows = new List<(string?, string?, IReadOnlyList<RawImage>, string?)>();
        int n = 0;
        foreach (var line in System.IO.File.ReadLines(path))
        {
            n++;
            if (line.Trim().Length == 0) continue;
            JsonElement e;
            try { e = JsonDocument.Parse(line).RootElement; }
            catch (JsonException ex) { throw new InvalidDataException($"{path}, line {n}: not JSON ({ex.Message})"); }
            string? Text(string key) => e.TryGetProperty(key, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.ValueKind == JsonValueKind.Number ? v.GetRawText() : null : null;
            var images = new List<RawImage>();
            if (e.TryGetProperty("images", out var imgs))
            {
                var list = imgs.ValueKind == JsonValueKind.Array ? imgs.EnumerateArray().ToArray() : [imgs];
                foreach (var img in list)
                    images.Add(img.ValueKind == JsonValueKind.String ? new RawImage(img.GetString(), null)
                        : img.ValueKind == JsonValueKind.Object ? new RawImage(img.TryGetProperty("path", out var p) ? p.GetString() : null,
                            img.TryGetProperty("bytes", out var b) && b.ValueKind == JsonValueKind.String ? Base64(b.GetString()!, path, n) : null)
                        : throw new InvalidDataException($"{path}, line {n}: an image is a path or {{\"path\"}} / {{\"bytes\"}}"));
            }
            rows.Add((Text("problem"), Text("answer"), images, Text("response")));
        }
        return rows;
    }

    static byte[] Base64(string text, string path, int line)
    {
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw new InvalidDataException($"{path}, line {line}: image bytes are not base64"); }
    }

    static List<(string? Problem, string? Answer, IReadOnlyList<RawImage> Images, string? Response)> Parquet(string path)
    {
        IList<Dictionary<string, object>> rows;
        try
        {
            using var stream = System.IO.File.OpenRead(path);
            rows = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult().Data;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{path}: not a readable Parquet file ({e.GetType().Name}: {e.Message})", e);
        }
        return rows.Select(r => (Str(r, "problem"), Str(r, "answer"), Images(r.GetValueOrDefault("images")), Str(r, "response"))).ToList();
    }

    static string? Str(Dictionary<string, object> row, string key) => row.GetValueOrDefault(key) switch
    {
        null => null, string s => s, var v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An `images` cell: a list of paths, of {bytes, path} structs, or one of either.</summary>
    static IReadOnlyList<RawImage> Images(object? cell) => cell switch
    {
        null => [],
        string path => [new RawImage(path, null)],
        byte[] bytes => [new RawImage(null, bytes)],
        IDictionary<string, object?> s => [new RawImage(s.TryGetValue("path", out var p) ? p as string : null, s.TryGetValue("bytes", out var b) ? b as byte[] : null)],
        System.Collections.IEnumerable list => list.Cast<object?>().SelectMany(Images).ToList(),
        var other => throw new InvalidDataException($"an images cell of type {other.GetType().Name}"),
    };
}
