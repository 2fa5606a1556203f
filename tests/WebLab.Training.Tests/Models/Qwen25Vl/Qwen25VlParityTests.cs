// Qwen2.5-VL against the NumPy reference (tests/reference/hf_reference.py, written from transformers' modeling code), on
// a tiny random folder and a non-square 140 × 84 image: a 6 × 10 patch grid, 3 × 5 merged tokens, whose 2 × 2 windows do
// not divide it evenly. Processor pixels within 1e-6, image embeddings within 1e-4, position ids exactly, logits within
// 1e-3 with the same argmax; both checkpoint layouts load to the same logits; a text-only prompt has 1-D positions.
using System.Text.Json;
using SkiaSharp;
using WebLab.Training.Models;
using WebLab.Training.Models.Qwen25Vl;
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Qwen25Vl;

public sealed class Qwen25VlParityTests : IDisposable
{
    const int Height = 84, Width = 140;
    readonly TempFolder root = new("qwen25vl");
    public void Dispose() => root.Dispose();

    string Folder(string name, TinyHfSpec spec)
    {
        var dir = Path.Combine(root.Path, name);
        TinyHfFolders.Write(dir, spec);
        return dir;
    }

    static TinyHfSpec Spec => new() { Family = Qwen25VlConfig.Type, Hidden = 64, Heads = 4, KvHeads = 2, Intermediate = 96, Layers = 2, Seed = 3 };

    /// <summary>A PNG of deterministic noise with smooth structure, and its RGB bytes (H × W × 3) for the reference.</summary>
    (string Png, string Raw) Image(int Height = Height, int Width = Width)
    {
        var rgb = new byte[Height * Width * 3];
        var rng = new Random(7);
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        for (int y = 0; y < Height; y++)
            for (int x = 0; x < Width; x++)
            {
                int i = (y * Width + x) * 3;
                rgb[i] = (byte)((x * 255 / Width + rng.Next(40)) % 256);
                rgb[i + 1] = (byte)((y * 255 / Height + rng.Next(40)) % 256);
                rgb[i + 2] = (byte)rng.Next(256);
                bitmap.SetPixel(x, y, new SKColor(rgb[i], rgb[i + 1], rgb[i + 2]));
            }
        var png = Path.Combine(root.Path, $"noise{Width}x{Height}.png");
        using (var data = bitmap.Encode(SKEncodedImageFormat.Png, 100)) File.WriteAllBytes(png, data.ToArray());
        var raw = Path.Combine(root.Path, $"noise{Width}x{Height}.rgb");
        File.WriteAllBytes(raw, rgb);
        return (png, raw);
    }

    /// <summary>[im_start, 3 text, vision_start, image_pad × n, vision_end, 4 text]: the image where a chat prompt puts it
    /// (the tiny tokenizer's im_start is the id before its im_end, the end-of-turn).</summary>
    static long[] Ids(Qwen25VlConfig c, int imageTokens) =>
        [c.Text.EosTokenIds![0] - 1, 72, 101, 108, c.VisionStartTokenId, .. Enumerable.Repeat((long)c.ImageTokenId, imageTokens), c.VisionEndTokenId, 119, 104, 97, 116];

    /// <summary>The prompt of <see cref="Ids"/> around <paramref name="png"/>, and its image's slot in a batch of one.</summary>
    static (long[] Ids, MediaSlot[] Media) WithImage(Qwen25VlForConditionalGeneration model, string png)
    {
        int tokens = model.ImageProcessor.GridOf(png).Tokens(2);
        var ids = Ids(model.Config, tokens);
        int start = Array.IndexOf(ids, (long)model.Config.ImageTokenId);
        return (ids, [new MediaSlot(0, start, new PromptMedia(PromptMedia.Image, png, start, tokens))]);
    }

    static double MaxDiff(double[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        return a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
    }

    [Fact]
    public void Pixels_image_embeddings_positions_and_logits_match_the_numpy_reference()
    {
        var dir = Folder("released", Spec);
        var (png, raw) = Image();
        using var model = (Qwen25VlForConditionalGeneration)ModelFamilies.Load(dir);
        var processor = model.ImageProcessor;
        var grid = processor.GridOf(png);
        Assert.Equal(new ImageGrid(1, 6, 10), grid);                                      // passed through: 84 × 140 is already 3 × 5 merged tokens
        int tokens = grid.Tokens(2);
        Assert.Equal(15, tokens);
        Assert.Equal(tokens, processor.Placeholders(PromptMedia.Image, png).Length);
        var (ids, media) = WithImage(model, png);

        using var reference = NumpyReference.Run(dir, ids, raw, Height, Width);
        var r = reference.RootElement;
        Assert.Equal([1, 6, 10], r.GetProperty("grid_thw").EnumerateArray().Select(e => e.GetInt32()));

        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var pixels = processor.Pixels(media, CPU);
        Assert.Equal(r.GetProperty("pixel_shape").EnumerateArray().Select(e => e.GetInt64()), pixels.shape);
        Assert.InRange(MaxDiff(NumpyReference.Flat(r.GetProperty("pixels")), pixels.data<float>().ToArray()), 0, 1e-6);

        var embeds = model.EncodeImages(media);                                           // [15, 64]
        Assert.InRange(MaxDiff(NumpyReference.Flat(r.GetProperty("image_embeds")), embeds.data<float>().ToArray()), 0, 1e-4);

        var positions = processor.Positions([0], 0, ids.Length, media, CPU);                 // [3, 1, T]
        Assert.Equal(NumpyReference.Flat(r.GetProperty("position_ids")).Select(v => (long)v), positions.data<long>().ToArray());

        var logits = model.Forward(tensor(ids, [1, ids.Length]), positions, null, null, media)[0];   // [T, V]
        Assert.InRange(MaxDiff(NumpyReference.Flat(r.GetProperty("logits")), logits.data<float>().ToArray()), 0, 1e-3);
        Assert.Equal(r.GetProperty("argmax").EnumerateArray().Select(e => e.GetInt64()), logits.argmax(-1).data<long>().ToArray());
        // the image moved the logits: the same ids with zeroed image tokens' features would not match
        var textOnly = model.Forward(tensor(ids, [1, ids.Length]), positions, null, null, null)[0];
        Assert.True((textOnly - logits).abs().max().ToSingle() > 1e-2f);
    }

    [Fact]
    public void A_resized_image_gives_the_references_pillow_pixels_and_logits()
    {
        // 150 × 100 → smart_resize 140 × 112 (round(100/28) = 4, round(150/28) = 5): resized by the Pillow port here and by
        // PIL in the reference; 8 × 10 patches, 4 × 5 merged tokens
        var dir = Folder("resize", Spec);
        var (png, raw) = Image(100, 150);
        using var model = (Qwen25VlForConditionalGeneration)ModelFamilies.Load(dir);
        var grid = model.ImageProcessor.GridOf(png);
        Assert.Equal(new ImageGrid(1, 8, 10), grid);
        var (ids, media) = WithImage(model, png);
        using var reference = NumpyReference.Run(dir, ids, raw, 100, 150);
        var r = reference.RootElement;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        Assert.InRange(MaxDiff(NumpyReference.Flat(r.GetProperty("pixels")), model.ImageProcessor.Pixels(media, CPU).data<float>().ToArray()), 0, 1e-6);
        var logits = model.Forward(tensor(ids, [1, ids.Length]), model.Processor.Positions([0], 0, ids.Length, media, CPU), null, null, media)[0];
        Assert.InRange(MaxDiff(NumpyReference.Flat(r.GetProperty("logits")), logits.data<float>().ToArray()), 0, 1e-3);
    }

    [Fact]
    public void Pillows_bicubic_weights_by_hand()
    {
        // 4 inputs → 2 outputs: scale 2, so the kernel's support widens to 4; output 0 is centred at 1.0 and reads inputs
        // 0..3 at distances (x − 1 + 0.5) / 2 = −0.25, 0.25, 0.75, 1.25: Keys' cubic gives 0.8671875, 0.8671875,
        // 0.2265625, −0.0703125 (sum 1.890625), normalised, then in 22-bit fixed point
        var (first, count, weights) = WebLab.Training.Models.Vision.PilBicubic.Coefficients(4, 2);
        Assert.Equal((0, 4), (first[0], count[0]));
        int Fixed(double w) => (int)(w / 1.890625 * (1 << 22) + (w < 0 ? -0.5 : 0.5));
        Assert.Equal([Fixed(0.8671875), Fixed(0.8671875), Fixed(0.2265625), Fixed(-0.0703125)], weights[0]);
        Assert.Equal(0.8671875, WebLab.Training.Models.Vision.PilBicubic.Cubic(0.25), 12);
        // a flat image stays flat through both passes
        var grey = Enumerable.Repeat((byte)77, 5 * 7 * 3).ToArray();
        Assert.All(WebLab.Training.Models.Vision.PilBicubic.Resize(grey, 5, 7, 9, 4), b => Assert.Equal(77, b));
    }

    [Fact]
    public void Both_layouts_tied_or_not_sharded_or_not_load_to_the_same_logits()
    {
        var (png, _) = Image();
        float[] Logits(string dir, out Qwen25VlLayout layout)
        {
            using var model = (Qwen25VlForConditionalGeneration)ModelFamilies.Load(dir);
            layout = model.Layout;
            var (ids, media) = WithImage(model, png);
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var positions = model.Processor.Positions([0], 0, ids.Length, media, CPU);
            return model.Forward(tensor(ids, [1, ids.Length]), positions, null, null, media).data<float>().ToArray();
        }
        var released = Logits(Folder("released", Spec), out var l1);
        var nested = Logits(Folder("nested", Spec with { NestedLayout = true, MaxShardBytes = 200_000 }), out var l2);
        Assert.Equal(Qwen25VlLayout.Released, l1);
        Assert.Equal(Qwen25VlLayout.Nested, l2);
        Assert.True(File.Exists(Path.Combine(root.Path, "nested", "model.safetensors.index.json")));
        Assert.Contains("\"text_config\"", File.ReadAllText(Path.Combine(root.Path, "nested", "config.json")));
        Assert.Equal(released, nested);                                                   // the same weights under either name

        var untied = Logits(Folder("untied", Spec with { Tied = false }), out _);
        Assert.NotEqual(released, untied);                                                // lm_head read, not the embedding
        var bf16 = Logits(Folder("bf16", Spec with { Dtype = "bfloat16" }), out _);
        Assert.InRange(released.Zip(bf16, (a, b) => Math.Abs(a - b)).Max(), 1e-6, 0.5);   // bf16 files: close, not equal

        // saved back as it came: the nested folder stays nested, and loads to the same logits
        using (var m = ModelFamilies.Load(Path.Combine(root.Path, "nested"))) m.Save(Path.Combine(root.Path, "resaved"));
        File.Copy(Path.Combine(root.Path, "nested", "tokenizer.json"), Path.Combine(root.Path, "resaved", "tokenizer.json"));
        Assert.Equal(released, Logits(Path.Combine(root.Path, "resaved"), out var l3));
        Assert.Equal(Qwen25VlLayout.Nested, l3);
    }

    [Fact]
    public void A_text_only_prompt_has_one_dimensional_positions_and_matches_the_reference()
    {
        var dir = Folder("text", Spec);
        using var model = (Qwen25VlForConditionalGeneration)ModelFamilies.Load(dir);
        long[] ids = [5, 72, 101, 108, 108, 111, 33];
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var positions = model.Processor.Positions([0], 0, ids.Length, null, CPU);            // [3, 1, T]
        Assert.Equal([3L, 1, ids.Length], positions.shape);
        for (int k = 0; k < 3; k++) Assert.Equal(Enumerable.Range(0, ids.Length).Select(i => (long)i), positions[k, 0].data<long>().ToArray());
        var logits = model.Forward(tensor(ids, [1, ids.Length]), positions, null, null)[0];
        var oneAxis = model.Forward(tensor(ids, [1, ids.Length]), arange(ids.Length, ScalarType.Int64).unsqueeze(0), null, null)[0];
        Assert.Equal(oneAxis.data<float>().ToArray(), logits.data<float>().ToArray());
        using var reference = NumpyReference.Run(dir, ids);
        Assert.InRange(MaxDiff(NumpyReference.Flat(reference.RootElement.GetProperty("logits")), logits.data<float>().ToArray()), 0, 1e-3);
    }

    [Fact]
    public void Cached_generation_continues_the_positions_after_the_image()
    {
        var dir = Folder("cache", Spec);
        var (png, _) = Image();
        using var model = (Qwen25VlForConditionalGeneration)ModelFamilies.Load(dir);
        var (ids, media) = WithImage(model, png);
        int tokens = media[0].Media.Length;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int t = ids.Length;
        var full = model.Forward(tensor(ids, [1, t]), model.Processor.Positions([0], 0, t, media, CPU), null, null, media)[0];   // [T, V]
        // prefill all but the last token, then the last one through the cache: the same logits (rope deltas carried)
        using var cache = model.NewCache(1, t);
        model.Forward(tensor(ids[..^1], [1, t - 1]), model.Processor.Positions([0], 0, t - 1, media, CPU), cache, null, media);
        var step = model.Forward(tensor(ids[^1..], [1, 1]), model.Processor.Positions([0], t - 1, 1, media, CPU), cache, null)[0, 0];
        Assert.InRange((step - full[^1]).abs().max().ToSingle(), 0, 1e-4f);
        // 5 text tokens (0..4), the image at st = 5 spanning max(3, 5) = 5 positions, vision_end at 10, then 11..14: the last
        // of the 25 tokens sits at 14 in all three rows (HF's rope delta 14 + 1 − 25 = −10)
        Assert.Equal(25, t);
        Assert.Equal([14L, 14, 14], model.Processor.Positions([0], t - 1, 1, media, CPU).data<long>().ToArray());
    }

    [Fact]
    public void Image_pads_widen_to_each_images_run_and_greedy_generation_equals_full_forwards()
    {
        var dir = Folder("gen", Spec);
        var (png, _) = Image();
        using var model = (Qwen25VlForConditionalGeneration)ModelFamilies.Load(dir);
        int pad = model.Config.ImageTokenId;
        var prompt = WebLab.Training.Generation.Prompt.WithImages([1, 2, model.Config.VisionStartTokenId, pad, model.Config.VisionEndTokenId, 7], pad, [png], model.Processor);
        Assert.Equal([1, 2, model.Config.VisionStartTokenId, .. Enumerable.Repeat(pad, 15), model.Config.VisionEndTokenId, 7], prompt.Tokens);
        Assert.Equal(new PromptMedia(PromptMedia.Image, png, 3, 15), prompt.Media.Single());
        Assert.Contains("marks 1 image(s)", Assert.Throws<ArgumentException>(() => WebLab.Training.Generation.Prompt.WithImages([pad], pad, [png, png], model.Processor)).Message);

        // greedy with the KV cache (M-RoPE positions continued after the image) against argmax of full forwards, token by token
        var options = new WebLab.Training.Generation.GenerationOptions { MaxNewTokens = 6, Temperature = 0 };
        var generated = WebLab.Training.Generation.BatchGenerator.Generate(model, [prompt, WebLab.Training.Generation.Prompt.Text([3, 4])], options, padId: 0).Completions;
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var ids = prompt.Tokens.ToList();
        var media = new[] { new MediaSlot(0, 3, prompt.Media[0]) };
        for (int k = 0; k < 6; k++)
        {
            var logits = model.Forward(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]), model.Processor.Positions([0], 0, ids.Count, media, CPU), null, null, media);
            ids.Add((int)logits[0, -1].argmax().ToInt64());
        }
        Assert.Equal(ids.Skip(prompt.Length), generated[0]);
    }

    [Fact]
    public void Vision_block_checkpointing_gives_the_same_gradients()
    {
        var dir = Folder("ckpt", Spec);
        var (png, _) = Image();
        using var model = (Qwen25VlForConditionalGeneration)ModelFamilies.Load(dir);
        int tokens = model.ImageProcessor.GridOf(png).Tokens(2);
        var media = new[] { new MediaSlot(0, 0, new PromptMedia(PromptMedia.Image, png, 0, tokens)) };
        model.train();
        Dictionary<string, float[]> Grads(bool checkpointing)
        {
            model.ActivationCheckpointing = checkpointing;
            foreach (var p in model.parameters()) p.grad = null;
            using (var scope = NewDisposeScope())
            {
                var features = model.EncodeImages(media);                                  // [15, 64]
                (features * features).sum().backward();
            }
            return ((TorchSharp.torch.nn.Module)model).named_parameters().Where(p => p.name.StartsWith("visual.") && p.parameter.grad is not null)
                .ToDictionary(p => p.name, p => p.parameter.grad!.data<float>().ToArray());
        }
        var plain = Grads(false);
        var checkpointed = Grads(true);
        Assert.Equal(plain.Keys.Order(), checkpointed.Keys.Order());
        Assert.Contains("visual.blocks.0.attn.qkv.weight", plain.Keys);
        foreach (var (name, g) in plain)
            Assert.True(g.Zip(checkpointed[name], (a, b) => Math.Abs(a - b)).Max() <= 1e-5 * Math.Max(1, g.Max(Math.Abs)), name);
    }
}
