// weblab logits --model DIR --ids 1,2,3 [--image FILE.png] --out FILE.json: one forward pass of any model family the lab
// loads, written as {"argmax": [...], "logits": [[...], ...], "position_ids": [...]} (fp32, one row per position) for
// comparing against another implementation (transformers, llama.cpp, the NumPy reference under tests/reference). Given
// ids, no tokenizer is read: config.json and the weights, and for an image preprocessor_config.json. With an image the ids
// must hold its image-pad tokens in the count the model's processor gives for that image, as one run.
using System.Text.Json;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Cli.Verbs;

public static class LogitsVerb
{
    public static int Run(Args args)
    {
        var modelDir = args.Required("model");
        var idsText = args.Required("ids");
        var image = args.Optional("image");
        var outFile = args.Required("out");
        args.EnsureAllUsed();
        if (!Directory.Exists(modelDir)) throw new CliException($"logits: --model: no folder at '{modelDir}'");
        if (image is not null && !File.Exists(image)) throw new CliException($"logits: --image: no such file '{image}'");
        var ids = ParseIds(idsText);
        using var model = ModelFamilies.Load(modelDir);
        MediaSlot[]? media = null;
        if (image is not null)
        {
            var source = Path.GetFullPath(image);
            var (start, length) = ImageRun(model, ids, source);
            media = [new MediaSlot(0, start, new PromptMedia(PromptMedia.Image, source, start, length))];
        }
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = tensor(ids, [1, ids.Length], device: model.Device);
        var positions = model.Processor.Positions([0], 0, ids.Length, media, model.Device);     // [1, T] or [3, 1, T]
        var logits = model.Forward(tokens, positions, null, null, media)[0].to(CPU).to_type(ScalarType.Float32);   // [T, V]
        long v = logits.shape[1];
        var flat = logits.data<float>().ToArray();
        var rows = Enumerable.Range(0, ids.Length).Select(t => flat.AsSpan((int)(t * v), (int)v).ToArray()).ToArray();
        var argmax = rows.Select(r => Array.IndexOf(r, r.Max())).ToArray();
        var pos = positions.to(CPU).data<long>().ToArray();
        var posRows = positions.dim() == 3 ? Enumerable.Range(0, 3).Select(k => pos.Skip(k * ids.Length).Take(ids.Length).ToArray()).ToArray() : [pos];
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(outFile))!);
        File.WriteAllText(outFile, JsonSerializer.Serialize(new { argmax, logits = rows, position_ids = posRows }));
        Console.Error.WriteLine($"logits: {ids.Length} positions × {v} ({model.Family}) → {outFile}; argmax {string.Join(",", argmax)}");
        return 0;
    }

    static long[] ParseIds(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0) throw new CliException("logits: --ids needs at least one token id, e.g. --ids 1,2,3");
        return parts.Select((p, i) => long.TryParse(p, out var id) && id >= 0 ? id : throw new CliException($"logits: --ids: item {i + 1} ('{p}') is not a token id")).ToArray();
    }

    /// <summary>Where the ids' one run of the image's placeholder token starts, and its length, checked against the processor's count.</summary>
    static (int Start, int Length) ImageRun(IPolicy model, long[] ids, string image)
    {
        int[] expected;
        try { expected = model.Processor.Placeholders(PromptMedia.Image, image); }
        catch (ArgumentException e) { throw new CliException($"logits: --image: {e.Message}"); }
        long pad = expected[0];
        var where = ids.Select((id, i) => (id, i)).Where(p => p.id == pad).Select(p => p.i).ToArray();
        if (where.Length != expected.Length)
            throw new CliException($"logits: the ids hold {where.Length} image-pad tokens (id {pad}), but the processor gives {expected.Length} for this image");
        if (where[^1] - where[0] + 1 != where.Length)
            throw new CliException($"logits: the image-pad tokens (id {pad}) must form one run; they sit at {string.Join(",", where.Take(8))}…");
        return (where[0], where.Length);
    }
}
