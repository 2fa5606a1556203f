// weblab logits: one forward pass as JSON for model porters. On tiny random Llama and Qwen2 folders (and Qwen2.5-VL with an
// image) it agrees with the NumPy reference (tests/reference/hf_reference.py) within 1e-3, same argmax; a wrong number
// of image-pad tokens is refused naming both numbers; the folder needs no tokenizer.
using System.Text.Json;
using SkiaSharp;
using WebLab.Cli;
using WebLab.Training.Models;
using WebLab.Training.Models.Qwen25Vl;

namespace WebLab.Cli.Tests;

public sealed class LogitsVerbTests : IDisposable
{
    readonly TempFolder root = new("logits");
    public void Dispose() => root.Dispose();

    string Folder(string name, TinyHfSpec spec)
    {
        var dir = Path.Combine(root.Path, name);
        TinyHfFolders.Write(dir, spec);
        File.Delete(Path.Combine(dir, "tokenizer.json"));                       // given ids, no tokenizer is read
        File.Delete(Path.Combine(dir, "tokenizer_config.json"));
        return dir;
    }

    static void AssertAgrees(JsonElement reference, string ours)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(ours));
        var expected = NumpyReference.Flat(reference.GetProperty("logits"));
        var got = NumpyReference.Flat(doc.RootElement.GetProperty("logits"));
        Assert.Equal(expected.Length, got.Length);
        Assert.InRange(expected.Zip(got, (a, b) => Math.Abs(a - b)).Max(), 0, 1e-3);
        Assert.Equal(NumpyReference.Flat(reference.GetProperty("argmax")), NumpyReference.Flat(doc.RootElement.GetProperty("argmax")));
    }

    [Theory]
    [InlineData("llama", true)]
    [InlineData("qwen2", false)]
    public void Logits_of_a_text_model_agree_with_the_numpy_reference(string family, bool tied)
    {
        var dir = Folder(family, new TinyHfSpec { Family = family, Tied = tied, Layers = 2, Seed = 5 });
        long[] ids = [3, 72, 101, 108, 108, 111, 258, 33];
        var output = Path.Combine(root.Path, family + ".json");
        Assert.Equal(0, Commands.Run(["logits", "--model", dir, "--ids", string.Join(",", ids), "--out", output]));
        using var reference = NumpyReference.Run(dir, ids);
        AssertAgrees(reference.RootElement, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Equal(ids.Length, doc.RootElement.GetProperty("logits").GetArrayLength());
        Assert.Equal(Enumerable.Range(0, ids.Length).Select(i => (double)i), NumpyReference.Flat(doc.RootElement.GetProperty("position_ids")));
    }

    [Fact]
    public void Logits_with_an_image_agree_and_a_wrong_image_token_count_is_refused_naming_both()
    {
        var dir = Folder("vl", new TinyHfSpec { Family = Qwen25VlConfig.Type, Hidden = 64, Heads = 4, Intermediate = 96, Seed = 9 });
        var config = Qwen25VlConfig.FromJson(File.ReadAllText(Path.Combine(dir, "config.json")));
        // a 56 × 84 image: smart_resize keeps it, 4 × 6 patches, 2 × 3 = 6 image tokens
        var rgb = new byte[56 * 84 * 3];
        new Random(2).NextBytes(rgb);
        using (var bitmap = new SKBitmap(new SKImageInfo(84, 56, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            for (int y = 0; y < 56; y++)
                for (int x = 0; x < 84; x++) { int i = (y * 84 + x) * 3; bitmap.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2])); }
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(Path.Combine(root.Path, "img.png"), data.ToArray());
        }
        File.WriteAllBytes(Path.Combine(root.Path, "img.rgb"), rgb);
        long[] ids = [72, 105, config.VisionStartTokenId, .. Enumerable.Repeat((long)config.ImageTokenId, 6), config.VisionEndTokenId, 33];
        var output = Path.Combine(root.Path, "vl.json");
        Assert.Equal(0, Commands.Run(["logits", "--model", dir, "--ids", string.Join(",", ids), "--image", Path.Combine(root.Path, "img.png"), "--out", output]));
        using var reference = NumpyReference.Run(dir, ids, Path.Combine(root.Path, "img.rgb"), 56, 84);
        AssertAgrees(reference.RootElement, output);
        using var doc = JsonDocument.Parse(File.ReadAllText(output));
        Assert.Equal(NumpyReference.Flat(reference.RootElement.GetProperty("position_ids")), NumpyReference.Flat(doc.RootElement.GetProperty("position_ids")));

        var err = Console.Error;
        var captured = new StringWriter();
        Console.SetError(captured);
        try
        {
            long[] five = [72, config.VisionStartTokenId, .. Enumerable.Repeat((long)config.ImageTokenId, 5), config.VisionEndTokenId];
            Assert.Equal(2, Commands.Run(["logits", "--model", dir, "--ids", string.Join(",", five), "--image", Path.Combine(root.Path, "img.png"), "--out", output]));
            Assert.Contains("hold 5 image-pad tokens", captured.ToString());
            Assert.Contains("processor gives 6", captured.ToString());
            Assert.Equal(2, Commands.Run(["logits", "--model", dir, "--ids", "1,x", "--out", output]));
            Assert.Contains("item 2 ('x') is not a token id", captured.ToString());
        }
        finally { Console.SetError(err); }
    }
}
