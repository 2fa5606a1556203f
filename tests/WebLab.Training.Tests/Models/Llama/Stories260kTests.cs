// The real stories260K weights through our decoder: cache parity on trained weights (not just random ones).
using TorchSharp;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.Llama;

public class Stories260kTests
{
    [Fact]
    public void Kv_cache_matches_full_forward_on_stories260K()
    {
        using var model = LlamaLoader.FromLlama2c(Fixtures.Path("stories260k/stories260K.bin"));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = randint(3, 512, [2, 40], ScalarType.Int64);
        var full = model.forward(tokens);
        using var cache = model.NewCache(2, 40);
        var pos = arange(40, ScalarType.Int64).unsqueeze(0).expand(2, -1);
        var parts = new List<Tensor> { model.Forward(tokens[.., ..1], pos[.., ..1], cache, null) };
        for (int t = 1; t < 40; t++) parts.Add(model.Forward(tokens[.., t..(t + 1)], pos[.., t..(t + 1)], cache, null));
        var diff = (full - cat(parts, 1)).abs().max().item<float>();
        Assert.True(diff <= 1e-4, $"max |Δlogit| = {diff}");
    }

    [Fact]
    public void Hf_folder_round_trip_keeps_the_logits()
    {
        using var model = LlamaLoader.FromLlama2c(Fixtures.Path("stories260k/stories260K.bin"));
        using var dir = new TempFolder("weblab-hf-");
        LlamaLoader.SaveHfFolder(model, dir.Path);
        using var reloaded = LlamaLoader.FromHfFolder(dir.Path);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = tensor(new long[] { 1, 400, 20, 77 }, [1, 4]);
        Assert.True(model.forward(tokens).allclose(reloaded.forward(tokens), rtol: 0, atol: 0));
    }
}
