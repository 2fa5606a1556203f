// `-- resize IMAGE...`: the Qwen2.5-VL processor's resize against Pillow's on real images, at the size smart_resize gives
// each under Qwen2.5-VL's released preprocessor_config (min 3,136, max 12,845,056 pixels, factor 28). Every image is
// decoded once (Skia) and the same RGB bytes go to the three resizers: the lab's port of Pillow's bicubic (PilBicubic),
// SkiaSharp's Catmull-Rom cubic (the obvious .NET choice), and Pillow itself (/usr/bin/python3 with python3-pil, through
// bench/resize-vs-pil.py). Prints, per image, the largest and mean absolute difference to Pillow in 0..255 levels and in
// the normalised pixels the vision tower reads ((x/255 − mean)/std).
using System.Diagnostics;
using SkiaSharp;
using WebLab.Training.Models.Qwen25Vl;
using WebLab.Training.Models.Vision;

static class ResizeCheck
{
    public static int Run(IReadOnlyList<string> images)
    {
        var work = Directory.CreateTempSubdirectory("weblab-resize-").FullName;
        Console.WriteLine("| image | size | resized to | resizer | max \\|Δ\\| (0..255) | mean \\|Δ\\| (0..255) | max \\|Δ\\| normalised |");
        Console.WriteLine("|---|---|---|---|---:|---:|---:|");
        foreach (var path in images)
        {
            using var bitmap = ImagePixels.Decode(File.ReadAllBytes(path));
            int h = bitmap.Height, w = bitmap.Width;
            var rgb = Qwen25VlProcessor.RgbOf(bitmap);
            File.WriteAllBytes(Path.Combine(work, "in.rgb"), rgb);
            // the released config's cap (12,845,056 pixels: mostly a small stretch to multiples of 28), transformers' default
            // of 1,280 tokens (1,003,520) and 256 tokens (200,704): shrinking, where the kernel widens
            foreach (var (rh, rw) in new[] { 12_845_056, 1_003_520, 200_704 }.Select(max => Qwen25VlProcessor.SmartResize(h, w, 28, 3136, max)).Distinct())
                Compare(path, rgb, h, w, rh, rw, work);
        }
        Directory.Delete(work, true);
        return 0;
    }

    static void Compare(string path, byte[] rgb, int h, int w, int rh, int rw, string work)
    {
        {
            var pil = Pillow(work, h, w, rh, rw);
            var ours = PilBicubic.Resize(rgb, h, w, rh, rw);
            var skia = Skia(rgb, h, w, rh, rw);
            foreach (var (name, got) in new[] { ("lab (Pillow port)", ours), ("SkiaSharp Catmull-Rom", skia) })
            {
                var diffs = got.Zip(pil, (a, b) => Math.Abs(a - b)).ToArray();
                double normalised = diffs.Select((d, i) => d / 255.0 / new[] { 0.26862954, 0.26130258, 0.27577711 }[i % 3]).Max();
                Console.WriteLine($"| {Path.GetFileName(path)} | {w}×{h} | {rw}×{rh} | {name} | {diffs.Max()} | {diffs.Average():F3} | {normalised:F4} |");
            }
        }
    }

    static byte[] Pillow(string work, int h, int w, int rh, int rw)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "resize-vs-pil.py");
        var psi = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardError = true };
        foreach (var a in new[] { script, Path.Combine(work, "in.rgb"), $"{h}", $"{w}", $"{rh}", $"{rw}", Path.Combine(work, "pil.rgb") }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"resize-vs-pil.py exited {p.ExitCode}: {err} (needs Debian's python3-pil)");
        return File.ReadAllBytes(Path.Combine(work, "pil.rgb"));
    }

    static byte[] Skia(byte[] rgb, int h, int w, int rh, int rw)
    {
        using var source = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++) { int i = (y * w + x) * 3; source.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2])); }
        using var resized = source.Resize(new SKImageInfo(rw, rh, SKColorType.Rgba8888, SKAlphaType.Opaque), new SKSamplingOptions(SKCubicResampler.CatmullRom))!;
        return Qwen25VlProcessor.RgbOf(resized);
    }
}
