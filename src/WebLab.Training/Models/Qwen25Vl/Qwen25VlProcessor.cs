// Qwen2.5-VL's image processor (HF: Qwen2VLImageProcessor, read from preprocessor_config.json) and its positions:
// 1. smart_resize: both sides to multiples of patch × merge, the area within [min_pixels, max_pixels], aspect kept;
// 2. resize with Pillow's bicubic, ported (Vision/PilBicubic: the reference's own resampling, step for step; an image
//    already at the grid's size passes through untouched), rescale, normalise;
// 3. patches [T·H·W, C·tp·p·p]: the frame repeated to temporal_patch_size, merge blocks row-major, a block's merge²
//    patches contiguous, each patch's values in (channel, frame, row, column) order.
// An image stands in a prompt as T·(H/m)·(W/m) image_pad tokens, so the count depends on the image's size; positions are
// M-RoPE's three rows, text-only rows three equal rows.
using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;
using SkiaSharp;
using WebLab.Training.Models.Vision;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Qwen25Vl;

/// <summary>preprocessor_config.json (released: min_pixels/max_pixels; newer: size.shortest_edge/longest_edge).</summary>
public sealed record Qwen25VlImageConfig
{
    public const string File = "preprocessor_config.json";

    [JsonPropertyName("min_pixels")] public int? MinPixelsField { get; init; }
    [JsonPropertyName("max_pixels")] public int? MaxPixelsField { get; init; }
    [JsonPropertyName("size")] public Dictionary<string, int>? Size { get; init; }
    [JsonPropertyName("patch_size")] public int PatchSize { get; init; } = 14;
    [JsonPropertyName("temporal_patch_size")] public int TemporalPatchSize { get; init; } = 2;
    [JsonPropertyName("merge_size")] public int MergeSize { get; init; } = 2;
    [JsonPropertyName("image_mean")] public double[] ImageMean { get; init; } = [0.48145466, 0.4578275, 0.40821073];
    [JsonPropertyName("image_std")] public double[] ImageStd { get; init; } = [0.26862954, 0.26130258, 0.27577711];
    [JsonPropertyName("rescale_factor")] public double RescaleFactor { get; init; } = 1.0 / 255;
    [JsonPropertyName("do_resize")] public bool DoResize { get; init; } = true;
    [JsonPropertyName("do_rescale")] public bool DoRescale { get; init; } = true;
    [JsonPropertyName("do_normalize")] public bool DoNormalize { get; init; } = true;

    [JsonIgnore] public int MinPixels => MinPixelsField ?? Size?.GetValueOrDefault("shortest_edge") ?? 56 * 56;
    [JsonIgnore] public int MaxPixels => MaxPixelsField ?? Size?.GetValueOrDefault("longest_edge") ?? 28 * 28 * 1280;
    [JsonIgnore] public int Factor => PatchSize * MergeSize;

    public static Qwen25VlImageConfig Read(string dir)
    {
        var path = Path.Combine(dir, File);
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"'{dir}' has no {File} (Qwen2.5-VL's image processor settings)", path);
        try { return JsonSerializer.Deserialize<Qwen25VlImageConfig>(System.IO.File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty"); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: {e.Message}", e); }
    }

    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull });
}

public sealed class Qwen25VlProcessor(Qwen25VlConfig model, Qwen25VlImageConfig image) : IMediaProcessor
{
    /// <summary>The side a registered scheme's square image (e.g. "tinyscenes:…") is drawn at, in pixels.</summary>
    public int SchemeImageSize { get; init; } = 112;

    readonly ConcurrentDictionary<string, (int H, int W)> sizes = new();
    /// <summary>Each source's patches, kept while they total under 64M values (256 MB): a rollout's images are read by
    /// its generation and again by every update's scoring.</summary>
    readonly ConcurrentDictionary<string, float[]> patchCache = new();
    long cached;
    const long CacheLimit = 64L << 20;

    public Qwen25VlImageConfig Image => image;

    /// <summary>HF's smart_resize: (height, width) rounded to multiples of patch × merge, scaled into [min, max] pixels.</summary>
    public static (int H, int W) SmartResize(int height, int width, int factor, int minPixels, int maxPixels)
    {
        if (height < factor || width < factor) throw new ArgumentException($"image {width}×{height}: both sides must be at least {factor} pixels");
        if ((double)Math.Max(height, width) / Math.Min(height, width) > 200) throw new ArgumentException($"image {width}×{height}: aspect ratio above 200");
        int hBar = (int)Math.Round((double)height / factor, MidpointRounding.ToEven) * factor;   // Python's round(): halves to even
        int wBar = (int)Math.Round((double)width / factor, MidpointRounding.ToEven) * factor;
        if ((long)hBar * wBar > maxPixels)
        {
            double beta = Math.Sqrt((double)height * width / maxPixels);
            hBar = (int)Math.Floor(height / beta / factor) * factor;
            wBar = (int)Math.Floor(width / beta / factor) * factor;
        }
        else if ((long)hBar * wBar < minPixels)
        {
            double beta = Math.Sqrt((double)minPixels / ((double)height * width));
            hBar = (int)Math.Ceiling(height * beta / factor) * factor;
            wBar = (int)Math.Ceiling(width * beta / factor) * factor;
        }
        return (hBar, wBar);
    }

    /// <summary>The patch grid of an image of <paramref name="height"/> × <paramref name="width"/> pixels.</summary>
    public ImageGrid GridOf(int height, int width)
    {
        var (h, w) = image.DoResize ? SmartResize(height, width, image.Factor, image.MinPixels, image.MaxPixels) : (height, width);
        if (h % image.Factor != 0 || w % image.Factor != 0) throw new ArgumentException($"image {width}×{height}: without resizing both sides must be multiples of {image.Factor}");
        return new ImageGrid(1, h / image.PatchSize, w / image.PatchSize);
    }

    /// <summary>The image_pad tokens an image of that size takes in a prompt.</summary>
    public int ImageTokens(int height, int width) => GridOf(height, width).Tokens(image.MergeSize);

    public int[] Placeholders(string kind, string source) => kind == PromptMedia.Image
        ? Enumerable.Repeat(model.ImageTokenId, GridOf(source).Tokens(image.MergeSize)).ToArray()
        : throw new ArgumentException($"the {Qwen25VlConfig.Type} processor reads images here, not {kind}");

    /// <summary>The source's size in pixels (read from its header, remembered).</summary>
    public (int H, int W) SizeOf(string source) => sizes.GetOrAdd(source, s =>
    {
        if (ImagePixels.IsScheme(s)) return (SchemeImageSize, SchemeImageSize);
        if (!File.Exists(s)) throw new FileNotFoundException($"image not found: {s}", s);
        using var codec = SKCodec.Create(s) ?? throw new InvalidDataException($"{s}: not a decodable image");
        return (codec.Info.Height, codec.Info.Width);
    });

    public ImageGrid GridOf(string source) { var (h, w) = SizeOf(source); return GridOf(h, w); }

    /// <summary>The grids of the batch's images, in slot order.</summary>
    public IReadOnlyList<ImageGrid> Grids(IReadOnlyList<MediaSlot> media) => media.Select(m => GridOf(m.Media.Source)).ToList();

    /// <summary>[Σ T·H·W, C·tp·p·p]: every slot's patches in slot order.</summary>
    public Tensor Pixels(IReadOnlyList<MediaSlot> media, Device device)
    {
        foreach (var slot in media.Where(m => m.Media.Kind != PromptMedia.Image))
            throw new ArgumentException($"the {Qwen25VlConfig.Type} policy reads images here, not {slot.Media.Kind}");
        var all = media.Select(m => PatchesOf(m.Media.Source)).ToArray();
        return tensor(all.SelectMany(p => p).ToArray(), [all.Sum(p => p.Length) / PatchInputs, PatchInputs], device: device);
    }

    int PatchInputs => 3 * image.TemporalPatchSize * image.PatchSize * image.PatchSize;

    float[] PatchesOf(string source)
    {
        if (patchCache.TryGetValue(source, out var hit)) return hit;
        var patches = Patches(Rgb(source), GridOf(source));
        if (Interlocked.Add(ref cached, patches.Length) > CacheLimit) { patchCache.Clear(); Interlocked.Exchange(ref cached, patches.Length); }
        patchCache[source] = patches;
        return patches;
    }

    /// <summary>The source's RGB bytes [H, W, 3] at its own size: an image file, or a registered scheme drawn square.</summary>
    public (byte[] Rgb, int H, int W) Rgb(string source)
    {
        if (ImagePixels.IsScheme(source))
        {
            int s = SchemeImageSize;
            var chw = ImagePixels.Load(source, s);                                                  // [3, s, s] in [0, 1]
            var rgb = new byte[s * s * 3];
            for (int c = 0; c < 3; c++) for (int i = 0; i < s * s; i++) rgb[i * 3 + c] = (byte)Math.Round(chw[c * s * s + i] * 255);
            return (rgb, s, s);
        }
        if (!File.Exists(source)) throw new FileNotFoundException($"image not found: {source}", source);
        using var bitmap = ImagePixels.Decode(File.ReadAllBytes(source));
        return (RgbOf(bitmap), bitmap.Height, bitmap.Width);
    }

    /// <summary>A bitmap's RGB bytes [H, W, 3], row-major.</summary>
    public static byte[] RgbOf(SKBitmap bitmap)
    {
        var rgb = new byte[bitmap.Width * bitmap.Height * 3];
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var p = bitmap.GetPixel(x, y);
                int i = (y * bitmap.Width + x) * 3;
                (rgb[i], rgb[i + 1], rgb[i + 2]) = (p.Red, p.Green, p.Blue);
            }
        return rgb;
    }

    /// <summary>The image resized to <paramref name="height"/> × <paramref name="width"/> with Pillow's bicubic (PilBicubic, as
    /// the reference's processor resizes), or itself when it is that size.</summary>
    public static (byte[] Rgb, int H, int W) Resize((byte[] Rgb, int H, int W) img, int height, int width) =>
        img.H == height && img.W == width ? img : (PilBicubic.Resize(img.Rgb, img.H, img.W, height, width), height, width);

    /// <summary>Patches [T·H·W · C·tp·p·p] of an RGB image for <paramref name="grid"/>: resized, rescaled, normalised, ordered.</summary>
    public float[] Patches((byte[] Rgb, int H, int W) img, ImageGrid grid)
    {
        int p = image.PatchSize, m = image.MergeSize, tp = image.TemporalPatchSize;
        var (rgb, h, w) = Resize(img, grid.H * p, grid.W * p);
        var value = new float[3 * h * w];                                                          // [C, H, W]
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < h * w; i++)
            {
                double v = rgb[i * 3 + c];
                if (image.DoRescale) v *= image.RescaleFactor;
                if (image.DoNormalize) v = (v - image.ImageMean[c]) / image.ImageStd[c];
                value[c * h * w + i] = (float)v;
            }
        int inputs = 3 * tp * p * p;
        var patches = new float[grid.Patches * inputs];
        int row = 0;
        for (int t = 0; t < grid.T; t++)
            foreach (var (ph, pw) in Qwen25VisionGeometry.PatchCoordinates(grid.H, grid.W, m))
            {
                int col = 0;
                for (int c = 0; c < 3; c++)
                    for (int f = 0; f < tp; f++)                                                   // a still image: every frame the same
                        for (int y = 0; y < p; y++)
                            for (int x = 0; x < p; x++)
                                patches[row * inputs + col++] = value[(c * h + ph * p + y) * w + pw * p + x];
                row++;
            }
        return patches;
    }

    /// <summary>
    /// M-RoPE positions [3, B, width] of columns [from, from + width): row r's sequence starts at column starts[r] (left
    /// padding before it, at 0); its images are the slots of row r, their grids from their sources.
    /// </summary>
    public Tensor Positions(IReadOnlyList<long> starts, long from, long width, IReadOnlyList<MediaSlot>? media, Device device)
    {
        int b = starts.Count;
        var result = new long[3 * b * width];
        for (int r = 0; r < b; r++)
        {
            var runs = (media ?? []).Where(s => s.Row == r)
                .Select(s => new Qwen25VisionGeometry.ImageRun((int)(s.Column - starts[r]), GridOf(s.Media.Source))).ToList();
            int first = (int)Math.Max(from - starts[r], 0), end = (int)Math.Max(from + width - starts[r], 0);   // the row's own token indices
            var pos = Qwen25VisionGeometry.RopeIndex(first, end, runs, image.MergeSize);
            for (long c = from; c < from + width; c++)
            {
                long i = c - starts[r];                                                               // < 0 on the left padding: 0
                for (int k = 0; k < 3; k++) result[(k * b + r) * width + (c - from)] = i < 0 ? 0 : pos[k][i - first];
            }
        }
        return tensor(result, [3, b, width], device: device);
    }
}
