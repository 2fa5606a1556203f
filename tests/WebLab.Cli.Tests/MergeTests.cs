// weblab merge: a LoRA adapter in PEFT's files folded into its base gives a Hugging Face folder with the adapted model's
// logits, the base's tokenizer files beside it; bad folders are named, exit code 2.
using WebLab.Cli;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Models;
using WebLab.Training.Models.Lora;
using static TorchSharp.torch;

namespace WebLab.Cli.Tests;

public sealed class MergeTests : IDisposable
{
    readonly TempFolder root = new("merge");
    public void Dispose() => root.Dispose();

    static float[] Logits(IPolicy model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = tensor(new long[] { 1, 20, 21, 22, 5 }, [1, 5]);
        return model.Forward(tokens, arange(5, ScalarType.Int64).unsqueeze(0), null, null).flatten().data<float>().ToArray();
    }

    [Fact]
    public void An_adapter_folded_into_its_base_gives_the_adapted_models_logits()
    {
        var baseDir = TinyBaseModel.CurrentPath;
        using var adapted = ModelFamilies.Load(baseDir);
        manual_seed(4);
        LoraAdapters.Attach((nn.Module)adapted, new LoraConfig(4, 8, 0, LoraConfig.AllLinear));
        using (no_grad())                                                     // a trained-looking adapter: B away from 0
            foreach (var (name, p) in ((nn.Module)adapted).named_parameters().Where(p => p.name.Contains("lora_B")))
                p.normal_(0, 0.05);
        var expected = Logits(adapted);
        var adapter = Path.Combine(root.Path, "adapter");
        LoraAdapters.Save((nn.Module)adapted, adapter, baseDir);
        var outDir = Path.Combine(root.Path, "merged");

        Assert.Equal(0, Commands.Run(["merge", "--model", baseDir, "--adapter", adapter, "--out", outDir]));
        using var merged = ModelFamilies.Load(outDir);
        var got = Logits(merged);
        Assert.InRange(expected.Zip(got).Max(p => Math.Abs(p.First - p.Second)) / expected.Max(Math.Abs), 0, 1e-5);
        using var plain = ModelFamilies.Load(baseDir);
        Assert.NotEqual(Logits(plain), got);                                  // the adapter changed something

        Assert.Equal(2, Commands.Run(["merge", "--model", baseDir, "--adapter", root.Path, "--out", Path.Combine(root.Path, "x")]));   // no adapter files
        Assert.Equal(2, Commands.Run(["merge", "--model", "/nonexistent", "--adapter", adapter, "--out", Path.Combine(root.Path, "y")]));
        Assert.Equal(2, Commands.Run(["merge", "--model", baseDir, "--adapter", adapter]));                                           // --out missing
    }
}
