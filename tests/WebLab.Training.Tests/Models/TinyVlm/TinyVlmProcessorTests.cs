// The model family's processor: placeholder runs, pixels and positions belong to the model. Worked by hand: a 48-pixel
// image in 16-pixel patches is 3 × 3 = 9 image tokens, a 32-pixel one 2 × 2 = 4; left-padded rows count positions from
// their first real token.
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.TinyVlm;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.TinyVlm;

public sealed class TinyVlmProcessorTests
{
    static TinyVlmConfig Config(int imageSize) => new()
    {
        Text = new LlamaConfig { VocabSize = 64, HiddenSize = 16, IntermediateSize = 32, NumLayers = 1, NumHeads = 2, NumKvHeads = 1, MaxPositions = 64 },
        Vision = new TinyVisionConfig { ImageSize = imageSize, PatchSize = 16, HiddenSize = 16, IntermediateSize = 32, NumHeads = 2 },
        ImageTokenId = 7,
    };

    [Fact]
    public void An_image_is_one_placeholder_a_patch_of_the_models_image_token()
    {
        Assert.Equal(Enumerable.Repeat(7, 9), new TinyVlmProcessor(Config(48)).Placeholders(PromptMedia.Image, "any.png"));
        Assert.Equal(Enumerable.Repeat(7, 4), new TinyVlmProcessor(Config(32)).Placeholders(PromptMedia.Image, "any.png"));
        Assert.Contains("reads images, not audio", Assert.Throws<ArgumentException>(() => new TinyVlmProcessor(Config(48)).Placeholders("audio", "a.wav")).Message);
        Assert.Contains("text-only model reads no image", Assert.Throws<ArgumentException>(() => TextProcessor.Instance.Placeholders(PromptMedia.Image, "a.png")).Message);
    }

    [Fact]
    public void A_domains_visual_prompt_takes_the_run_the_policys_processor_writes()
    {
        // the same question for two models with different image sizes: 4 and 9 placeholders, each run marked as the image
        var domain = new TinyScenesDomain();
        var item = domain.TrainingItem(new Random(3));
        var small = domain.FirstPass(item, ResponseFormat.SeeThink, new TinyVlmProcessor(Config(32) with { ImageTokenId = TinyScenesTokenizer.Image }));
        var large = domain.FirstPass(item, ResponseFormat.SeeThink, new TinyVlmProcessor(Config(48) with { ImageTokenId = TinyScenesTokenizer.Image }));
        Assert.Equal(5, large.Length - small.Length);
        Assert.Equal((1, 4), (small.Media.Single().Start, small.Media.Single().Length));
        Assert.Equal((1, 9), (large.Media.Single().Start, large.Media.Single().Length));
        Assert.All(small.Tokens.Skip(1).Take(4), t => Assert.Equal(TinyScenesTokenizer.Image, t));
        Assert.Equal(small.Tokens.Skip(5), large.Tokens.Skip(10));                                   // the text is the domain's
        Assert.Equal(9, domain.Processor.Placeholders(PromptMedia.Image, item.Image).Length);       // its own models' processor
    }

    [Fact]
    public void Pixels_come_at_the_encoders_size_in_slot_order()
    {
        using var scope = NewDisposeScope();
        var p = new TinyVlmProcessor(Config(32));
        var a = SceneCode.Source(new Scene([new(SceneShape.Circle, SceneColor.Red, SceneSize.Big, 0, 0)]));
        var b = SceneCode.Source(new Scene([new(SceneShape.Square, SceneColor.Blue, SceneSize.Small, 2, 2)]));
        var pixels = p.Pixels([new MediaSlot(0, 1, new PromptMedia(PromptMedia.Image, a, 1, 4)), new MediaSlot(1, 1, new PromptMedia(PromptMedia.Image, b, 1, 4))], CPU);
        Assert.Equal([2L, 3, 32, 32], pixels.shape);
        Assert.Equal(WebLab.Training.Models.Vision.ImagePixels.Load(b, 32), pixels[1].flatten().data<float>().ToArray());
        Assert.True(pixels.min().item<float>() >= 0 && pixels.max().item<float>() <= 1);
    }

    [Fact]
    public void Positions_count_each_rows_real_tokens_from_zero()
    {
        using var scope = NewDisposeScope();
        IMediaProcessor p = new TinyVlmProcessor(Config(48));
        // row 0: two pads then 2 tokens; row 1: 4 tokens
        Assert.Equal(new long[] { 0, 0, 0, 1, 0, 1, 2, 3 }, p.Positions([2, 0], 0, 4, null, CPU).data<long>().ToArray());
        // the first decode step (column 4): each row's length so far
        Assert.Equal(new long[] { 2, 4 }, p.Positions([2, 0], 4, 1, null, CPU).data<long>().ToArray());
        Assert.Equal([2L, 1], p.Positions([2, 0], 4, 1, null, CPU).shape);
        Assert.Equal(new long[] { 0, 1, 2 }, ((IMediaProcessor)TextProcessor.Instance).Positions([0], 0, 3, null, CPU).data<long>().ToArray());
        // a window inside the padding of row 0 (columns 1–2): 0, 0; row 1: 1, 2
        Assert.Equal(new long[] { 0, 0, 1, 2 }, p.Positions([2, 0], 1, 2, null, CPU).data<long>().ToArray());
        Assert.Equal(ScalarType.Int64, p.Positions([2, 0], 1, 2, null, CPU).dtype);
    }

    [Fact]
    public void Range_is_arange_built_on_the_host()
    {
        using var scope = NewDisposeScope();
        Assert.Equal(arange(5, ScalarType.Int64).data<long>().ToArray(), WebLab.Training.Models.Modules.TensorMath.Range(5, CPU).data<long>().ToArray());
        Assert.Equal([0L], WebLab.Training.Models.Modules.TensorMath.Range(0, CPU).shape);
    }
}
