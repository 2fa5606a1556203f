// The tiny VLM's processor: an image is image_token_id × (image_size / patch_size)² placeholders, whatever its source's
// size (the encoder reads it resized to image_size square); pixels are channels-first in [0, 1]; positions run along one
// rotary axis, the placeholders counted like any token (LLaVA's way).
using WebLab.Training.Models.Vision;
using static TorchSharp.torch;

namespace WebLab.Training.Models.TinyVlm;

public sealed class TinyVlmProcessor(TinyVlmConfig config) : IMediaProcessor
{
    /// <summary>Image tokens per image: the length of an image's placeholder run.</summary>
    public int ImageTokens => config.Vision.Patches;

    public int[] Placeholders(string kind, string source) => kind == PromptMedia.Image
        ? Enumerable.Repeat(config.ImageTokenId, ImageTokens).ToArray()
        : throw new ArgumentException($"the {TinyVlmConfig.Type} model reads images, not {kind}");

    /// <summary>[M, 3, S, S]: each slot's image read from its source (an image file or a registered scheme's URI).</summary>
    public Tensor Pixels(IReadOnlyList<MediaSlot> media, Device device)
    {
        int s = config.Vision.ImageSize;
        foreach (var slot in media.Where(m => m.Media.Kind != PromptMedia.Image))
            throw new ArgumentException($"the {TinyVlmConfig.Type} policy reads images, not {slot.Media.Kind}");
        return stack(media.Select(m => tensor(ImagePixels.Load(m.Media.Source, s), [3, s, s], device: device)).ToArray());
    }
}
