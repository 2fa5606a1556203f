// Images as a vision encoder reads them: decoded with Skia (PNG, JPEG, WebP, …), resized to the encoder's square size,
// channels first in [0, 1]. A source is an image file, or a URI of a registered scheme (a procedural domain draws its
// image from the source itself, e.g. "tinyscenes:…"). Pixels are kept in a bounded cache (read every epoch).
using System.Collections.Concurrent;
using SkiaSharp;

namespace WebLab.Training.Models.Vision;

public static class ImagePixels
{
    const int CacheLimit = 4096;
    static readonly ConcurrentDictionary<(string Path, int Size), float[]> Cache = new();
    static readonly ConcurrentDictionary<string, Func<string, int, float[]>> Schemes = new();

    /// <summary>Sources starting with <paramref name="scheme"/> (e.g. "tinyscenes:") are drawn by <paramref name="pixels"/>(source, size).</summary>
    public static void RegisterScheme(string scheme, Func<string, int, float[]> pixels) => Schemes[scheme] = pixels;

    /// <summary>True when a registered scheme draws <paramref name="source"/> (a procedural domain's image, not a file).</summary>
    public static bool IsScheme(string source) => Schemes.Keys.Any(scheme => source.StartsWith(scheme, StringComparison.Ordinal));

    /// <summary>Pixels [3, size, size] of <paramref name="source"/>: a registered scheme's URI, else an image file.</summary>
    public static float[] Load(string source, int size)
    {
        foreach (var (scheme, draw) in Schemes)
            if (source.StartsWith(scheme, StringComparison.Ordinal))
            {
                if (Cache.TryGetValue((source, size), out var drawn)) return drawn;
                return Remember(source, size, draw(source, size));
            }
        return FromFile(source, size);
    }

    static float[] Remember(string source, int size, float[] pixels)
    {
        if (Cache.Count >= CacheLimit) Cache.Clear();          // bounded: a new epoch refills it
        Cache[(source, size)] = pixels;
        return pixels;
    }

    /// <summary>Decodes image bytes; a clear error for bytes that are not an image.</summary>
    public static SKBitmap Decode(byte[] bytes)
    {
        using var data = SKData.CreateCopy(bytes);
        using var codec = SKCodec.Create(data) ?? throw new InvalidDataException($"not a decodable image ({bytes.Length} bytes)");
        return SKBitmap.Decode(codec) ?? throw new InvalidDataException($"the image could not be decoded ({bytes.Length} bytes)");
    }

    /// <summary>Channels-first pixels [3, size, size] in [0, 1]: index (c · size + y) · size + x, c = R, G, B.</summary>
    public static float[] FromBitmap(SKBitmap bitmap, int size)
    {
        using var resized = bitmap.Width == size && bitmap.Height == size ? null
            : bitmap.Resize(new SKImageInfo(size, size, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKFilterMode.Linear));
        var b = resized ?? bitmap;
        var x = new float[3 * size * size];
        for (int y = 0; y < size; y++)
            for (int col = 0; col < size; col++)
            {
                var p = b.GetPixel(col, y);
                x[(0 * size + y) * size + col] = p.Red / 255f;
                x[(1 * size + y) * size + col] = p.Green / 255f;
                x[(2 * size + y) * size + col] = p.Blue / 255f;
            }
        return x;
    }

    /// <summary>The image file at <paramref name="path"/> as pixels (cached); a clear error when it is missing or not an image.</summary>
    public static float[] FromFile(string path, int size)
    {
        if (Cache.TryGetValue((path, size), out var hit)) return hit;
        if (!File.Exists(path)) throw new FileNotFoundException($"image not found: {path}", path);
        using var bitmap = Decode(File.ReadAllBytes(path));
        return Remember(path, size, FromBitmap(bitmap, size));
    }
}
