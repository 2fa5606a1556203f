// weblab generate --model: a Hugging Face folder's greedy completion, as text or through its chat template, with an
// image for Qwen2.5-VL (the template's image pad widened to the processor's count); bad input is one clear line.
using SkiaSharp;
using WebLab.Cli;
using WebLab.Cli.Verbs;
using WebLab.Training.Models;
using WebLab.Training.Models.Qwen25Vl;

namespace WebLab.Cli.Tests;

public sealed class GenerateHfTests : IDisposable
{
    readonly TempFolder root = new("generate-hf");
    public void Dispose() => root.Dispose();

    [Fact]
    public void A_qwen25_vl_folder_generates_from_a_chat_prompt_with_an_image()
    {
        var dir = Path.Combine(root.Path, "vl");
        TinyHfFolders.Write(dir, new TinyHfSpec { Family = Qwen25VlConfig.Type, Hidden = 64, Heads = 4, Intermediate = 96, ChatTemplate = ReferenceTemplates.QwenVl });
        var png = Path.Combine(root.Path, "red.png");
        using (var bitmap = new SKBitmap(new SKImageInfo(70, 60, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            bitmap.Erase(new SKColor(200, 30, 40));
            using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
            File.WriteAllBytes(png, data.ToArray());
        }
        var withImage = GenerateVerb.GenerateHf(dir, "What colour?", png, chat: true, maxTokens: 5);
        var again = GenerateVerb.GenerateHf(dir, "What colour?", png, chat: true, maxTokens: 5);
        Assert.Equal(withImage, again);                                                   // greedy: the same text twice
        Assert.NotEqual(withImage, GenerateVerb.GenerateHf(dir, "What colour?", null, chat: true, maxTokens: 5));   // the image is read
        Assert.Equal(0, Commands.Run(["generate", "--model", dir, "--prompt", "What colour?", "--image", png, "--chat", "--max-tokens", "5"]));
        Assert.Equal(2, Commands.Run(["generate", "--model", dir, "--prompt", "x", "--image", Path.Combine(root.Path, "missing.png"), "--chat"]));
        Assert.Equal(2, Commands.Run(["generate", "--model", Path.Combine(root.Path, "nope"), "--prompt", "x"]));
    }

    [Fact]
    public void A_text_folder_generates_and_refuses_an_image_prompt_without_a_vision_template()
    {
        var dir = Path.Combine(root.Path, "qwen2");
        TinyHfFolders.Write(dir, new TinyHfSpec { Family = "qwen2", ChatTemplate = null });
        Assert.Equal(0, Commands.Run(["generate", "--model", dir, "--prompt", "the", "--max-tokens", "4"]));
        Assert.Equal(2, Commands.Run(["generate", "--model", dir, "--prompt", "the", "--chat"]));   // no chat_template in the folder
    }
}
