// The tiny VLM through the policy contract: an image's patch features land on its placeholder run (and only the
// positions after it see the image), a prompt without media is the decoder's, gradients reach the encoder and the
// projector, generation with the KV cache reads the image, and a saved folder loads back through ModelFamilies with the
// same logits (clear errors for a damaged one).
using TorchSharp;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.TinyVlm;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.TinyVlm;

public sealed class TinyVlmTests : IDisposable
{
    readonly TempFolder dir = new("weblab-vlm-");
    public void Dispose() => dir.Dispose();

    const int ImageToken = 3, Patches = 9;

    static TinyVlmConfig Config() => new()
    {
        Text = new LlamaConfig { VocabSize = 40, HiddenSize = 32, IntermediateSize = 64, NumLayers = 2, NumHeads = 4, NumKvHeads = 2, MaxPositions = 64 },
        Vision = new TinyVisionConfig { HiddenSize = 32, IntermediateSize = 64, NumLayers = 1, NumHeads = 2 },
        ImageTokenId = ImageToken,
    };

    static TinyVlmForCausalLM Model(int seed = 1)
    {
        manual_seed(seed);
        var m = new TinyVlmForCausalLM(Config());
        m.eval();
        return m;
    }

    string Image(string name, Scene scene)
    {
        var path = Path.Combine(dir.Path, name + ".png");
        File.WriteAllBytes(path, SceneRenderer.Png(scene));
        return path;
    }

    static readonly Scene RedCircle = new([new(SceneShape.Circle, SceneColor.Red, SceneSize.Big, 0, 0)]);
    static readonly Scene BlueSquares = new([new(SceneShape.Square, SceneColor.Blue, SceneSize.Big, 1, 1), new(SceneShape.Square, SceneColor.Blue, SceneSize.Small, 2, 0)]);

    /// <summary>BOS, two text ids, the image's 9 placeholders, three text ids: 15 tokens, the image at [3, 12).</summary>
    static Prompt WithImage(string path) =>
        new([1, 5, 6, .. Enumerable.Repeat(ImageToken, Patches), 7, 8, 9], [new PromptMedia(PromptMedia.Image, path, 3, Patches)]);

    static Tensor Logits(IPolicy model, Prompt p)
    {
        var tokens = tensor(p.Tokens.Select(t => (long)t).ToArray(), [1, p.Length]);
        var positions = arange(p.Length, ScalarType.Int64).unsqueeze(0);
        return model.Forward(tokens, positions, null, null, Prompt.Slots([p], _ => 0));
    }

    [Fact]
    public void The_image_reaches_only_the_positions_after_its_run_and_a_text_prompt_is_the_decoders()
    {
        using var model = Model();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var a = Logits(model, WithImage(Image("a", RedCircle)));
        var b = Logits(model, WithImage(Image("b", BlueSquares)));
        Assert.Equal([1L, 15, 40], a.shape);
        Assert.True((a[.., ..3] - b[.., ..3]).abs().max().item<float>() == 0f, "a position before the image saw it");
        Assert.True((a[.., 12..] - b[.., 12..]).abs().max().item<float>() > 1e-4f, "the text after the image does not depend on it");

        var text = Prompt.Text([1, 5, 6, 7]);
        var fromVlm = Logits(model, text);
        var fromDecoder = Logits(model.LanguageModel, text);
        Assert.Equal(fromDecoder.data<float>().ToArray(), fromVlm.data<float>().ToArray());
    }

    [Fact]
    public void Gradients_reach_the_encoder_and_the_projector()
    {
        using var model = Model();
        model.train();
        using var scope = NewDisposeScope();
        Logits(model, WithImage(Image("a", RedCircle)))[0, -1, 4].backward();
        foreach (var (name, p) in model.named_parameters().Where(n => n.name.StartsWith("vision_tower") || n.name.StartsWith("multi_modal_projector")))
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, $"{name} got no gradient");
    }

    [Fact]
    public void Generation_with_the_cache_reads_the_image_like_the_full_forward()
    {
        using var model = Model(seed: 4);
        var prompt = WithImage(Image("a", RedCircle));
        var greedy = BatchGenerator.Generate(model, [prompt], new GenerationOptions { MaxNewTokens = 6, Temperature = 0 }, padId: 0);
        // the same six tokens, each the argmax of a full forward over the prompt and what came before
        var tokens = prompt.Tokens.ToList();
        using var _ = no_grad();
        for (int i = 0; i < greedy.Completions[0].Length; i++)
        {
            using var scope = NewDisposeScope();
            var next = (int)Logits(model, new Prompt([.. tokens], prompt.Media))[0, -1].argmax().item<long>();
            Assert.Equal(next, greedy.Completions[0][i]);
            tokens.Add(next);
        }
    }

    [Fact]
    public void A_saved_folder_loads_back_through_the_model_families_with_the_same_logits()
    {
        using var model = Model();
        model.Save(Path.Combine(dir.Path, "vlm"));
        using var loaded = ModelFamilies.Load(Path.Combine(dir.Path, "vlm"));
        Assert.IsType<TinyVlmForCausalLM>(loaded);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var prompt = WithImage(Image("b", BlueSquares));
        Assert.Equal(Logits(model, prompt).data<float>().ToArray(), Logits(loaded, prompt).data<float>().ToArray());
    }

    [Fact]
    public void Damaged_folders_and_wrong_runs_get_clear_errors()
    {
        using var model = Model();
        var folder = Path.Combine(dir.Path, "vlm");
        model.Save(folder);
        var config = File.ReadAllText(Path.Combine(folder, "config.json"));
        File.WriteAllText(Path.Combine(folder, "config.json"), config.Replace("\"patch_size\": 16", "\"patch_size\": 8"));
        Assert.Contains("vision_tower.position_embedding", Assert.Throws<InvalidDataException>(() => TinyVlmForCausalLM.Load(folder)).Message);
        File.Delete(Path.Combine(folder, "model.safetensors"));
        Assert.Throws<FileNotFoundException>(() => TinyVlmForCausalLM.Load(folder));

        using var scope = NewDisposeScope();
        var shortRun = new Prompt([1, .. Enumerable.Repeat(ImageToken, 4)], [new PromptMedia(PromptMedia.Image, Image("a", RedCircle), 1, 4)]);
        Assert.Contains("its run needs", Assert.Throws<ArgumentException>(() => Logits(model, shortRun)).Message);
        var missing = WithImage(Path.Combine(dir.Path, "nowhere.png"));
        Assert.Contains("nowhere.png", Assert.Throws<FileNotFoundException>(() => Logits(model, missing)).Message);
    }
}
