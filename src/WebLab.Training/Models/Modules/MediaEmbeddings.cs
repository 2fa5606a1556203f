// Puts an encoder's embeddings into a batch's token embeddings at the media's placeholder runs (LLaVA's way: the image
// marker tokens' rows are replaced). What a policy with an encoder does between its encoder and its decoder.
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Modules;

public static class MediaEmbeddings
{
    /// <param name="embeds">Token embeddings [B, T, d].</param>
    /// <param name="slots">Where each medium sits; runs must not overlap.</param>
    /// <param name="values">Per slot, its embeddings [Length, d].</param>
    /// <returns>[B, T, d]: <paramref name="embeds"/> with every slot's run replaced (out of place, so gradients reach both inputs).</returns>
    public static Tensor Insert(Tensor embeds, IReadOnlyList<MediaSlot> slots, IReadOnlyList<Tensor> values)
    {
        if (slots.Count != values.Count) throw new ArgumentException($"{slots.Count} media slots but {values.Count} embeddings");
        if (slots.Count == 0) return embeds;
        long b = embeds.shape[0], t = embeds.shape[1], d = embeds.shape[2];
        var marked = new bool[b * t];
        foreach (var (slot, value) in slots.Zip(values))
        {
            if (!value.shape.SequenceEqual([slot.Media.Length, d]))
                throw new ArgumentException($"{slot.Media.Kind} at row {slot.Row}: embeddings [{string.Join(", ", value.shape)}], its run needs [{slot.Media.Length}, {d}]");
            if (slot.Row < 0 || slot.Row >= b || slot.Column < 0 || slot.Column + slot.Media.Length > t)
                throw new ArgumentException($"{slot.Media.Kind} at row {slot.Row}, column {slot.Column} (+{slot.Media.Length}) is outside the batch [{b}, {t}]");
            for (long i = slot.Row * t + slot.Column; i < slot.Row * t + slot.Column + slot.Media.Length; i++)
                marked[i] = !marked[i] ? true : throw new ArgumentException($"media runs overlap at row {slot.Row}");
        }
        // masked_scatter fills the marked positions in row-major order: the values must come in that order too
        var ordered = slots.Zip(values).OrderBy(p => p.First.Row).ThenBy(p => p.First.Column).Select(p => p.Second).ToList();
        var mask = tensor(marked, [b, t, 1], device: embeds.device).expand(b, t, d);     // [B, T, d]
        return embeds.masked_scatter(mask, cat(ordered, 0).to_type(embeds.dtype));      // source [M, d]
    }
}
