// What a model family does with a prompt's media around its encoder and decoder (Hugging Face's processor): how many
// placeholder tokens a medium takes and which ids they are, the pixels its encoder reads, and the position ids of a
// packed batch. Image-token counts and positions belong to the model, so a domain writes a visual prompt by asking the
// policy's processor (IPolicy.Processor) for the image's placeholder run, and generation and scoring ask it for
// positions. The tiny VLM's is TinyVlm/TinyVlmProcessor; Qwen2.5-VL's (image-size-dependent counts, 3-D M-RoPE
// positions) is the next.
using static TorchSharp.torch;

namespace WebLab.Training.Models;

public interface IMediaProcessor
{
    /// <summary>The ids a prompt carries where one medium stands (its placeholder run), by this model's rule.</summary>
    /// <exception cref="ArgumentException">The model reads no medium of this kind.</exception>
    int[] Placeholders(string kind, string source);

    /// <summary>The batch's media as the encoder reads them (images: pixels [M, C, S, S], in slot order).</summary>
    Tensor Pixels(IReadOnlyList<MediaSlot> media, Device device);

    /// <summary>
    /// Position ids [B, <paramref name="width"/>] of columns [<paramref name="from"/>, from + width) of a batch whose row r
    /// holds its sequence from column <paramref name="starts"/>[r] (left padding before, at position 0). With one rotary
    /// axis (every model here) a token's position is its index in its own sequence; <paramref name="media"/> (the rows'
    /// slots, by batch column) is for a model whose positions depend on where its media lie (M-RoPE).
    /// </summary>
    Tensor Positions(IReadOnlyList<long> starts, long from, long width, IReadOnlyList<MediaSlot>? media, Device device) =>
        TextPositions(starts, from, width, device);

    /// <summary>One rotary axis: column − start, 0 on the left padding. [B, width] int64.</summary>
    /// <remarks>Built on the host, as Qwen2.5-VL's are: generation asks for positions once per token, and the tensor form
    /// (arange − starts, clamped at 0) took implicit Scalars (arange's bounds, the subtraction's alpha, clamp_min's 0),
    /// any of which the finalizer can free mid-op (see TensorMath). That happened twice in 1,000-step LSP-Zero runs, at
    /// steps 160 and 135 ("Expected false to be true", "Unknown scalar type" in clamp_min).</remarks>
    static Tensor TextPositions(IReadOnlyList<long> starts, long from, long width, Device device)
    {
        var ids = new long[starts.Count * width];
        for (int r = 0; r < starts.Count; r++)
            for (long c = 0; c < width; c++)
                ids[r * width + c] = Math.Max(from + c - starts[r], 0);
        return tensor(ids, [starts.Count, width], device: device);
    }
}

/// <summary>The processor of a text-only model: no media, positions along one rotary axis.</summary>
public sealed class TextProcessor : IMediaProcessor
{
    public static readonly TextProcessor Instance = new();

    public int[] Placeholders(string kind, string source) =>
        throw new ArgumentException($"a text-only model reads no {kind}; a prompt with one needs a model with an encoder");

    public Tensor Pixels(IReadOnlyList<MediaSlot> media, Device device) =>
        throw new ArgumentException($"a text-only model reads no {media.FirstOrDefault()?.Media.Kind ?? "media"}");
}
