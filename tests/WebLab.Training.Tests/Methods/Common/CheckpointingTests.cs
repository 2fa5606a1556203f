// Activation checkpointing recomputes each layer in the backward: the same loss and gradients as keeping the activations
// (within float rounding: the gradient sums run in another order), with LoRA's dropout drawing the same masks on the
// recomputation, and a grpo run with it trains as one without.
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Models;
using WebLab.Training.Models.Lora;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.Common;

public sealed class CheckpointingTests : IDisposable
{
    readonly TempFolder root = new("checkpointing");
    public void Dispose() => root.Dispose();

    static (double Loss, float[] Grad) LossAndGrad(IPolicy model, long maskSeed = 0)
    {
        using var scope = NewDisposeScope();
        var rng = new Random(3);
        var examples = Enumerable.Range(0, 6).Select(_ => TinyTasksSupervised.Example(rng, new SupervisedSettings(4, 0, 0))).ToList();
        using var batch = SequenceLogProbs.Pack([.. examples.Select(e => e.Prompt)], [.. examples.Select(e => e.Target)], TinyTasksTokenizer.Instance.PadId, CPU);
        foreach (var p in model.parameters()) p.grad = null;
        LoraAdapters.SeedStep(model, maskSeed);
        model.train();
        var lp = SequenceLogProbs.Compute(model, batch);
        var loss = -(lp.LogProbs.sum() / lp.Mask.sum());
        loss.backward();
        var grads = model.parameters().Where(p => p.requires_grad).Select(p => p.grad!.flatten()).ToArray();
        return (loss.item<float>(), cat(grads).data<float>().ToArray());
    }

    static void Same((double Loss, float[] Grad) a, (double Loss, float[] Grad) b)
    {
        Assert.Equal(a.Loss, b.Loss, 1e-6);
        var scale = a.Grad.Max(Math.Abs);
        Assert.InRange(a.Grad.Zip(b.Grad).Max(p => Math.Abs(p.First - p.Second)) / scale, 0, 1e-5);
    }

    [Fact]
    public void Checkpointed_layers_give_the_same_loss_and_gradients()
    {
        using var model = new TinyTasksDomain().LoadBaseModel("cpu");
        var kept = LossAndGrad(model);
        model.ActivationCheckpointing = true;
        Same(kept, LossAndGrad(model));
        model.ComputeDtype = ScalarType.BFloat16;                              // bf16-mixed with checkpointing
        var bf16Checkpointed = LossAndGrad(model);
        model.ActivationCheckpointing = false;
        Same(LossAndGrad(model), bf16Checkpointed);
    }

    [Fact]
    public void Checkpointed_vision_blocks_give_the_same_gradients()
    {
        // the tiny VLM's tower (two blocks, so that one block's recomputation feeds another's) under a loss on its features
        var config = new WebLab.Training.Models.TinyVlm.TinyVlmConfig { Vision = new() { NumLayers = 2 } };
        manual_seed(11);
        using var model = new WebLab.Training.Models.TinyVlm.TinyVlmForCausalLM(config);
        model.train();
        (double Loss, float[] Grad) Run()
        {
            using var scope = NewDisposeScope();
            foreach (var p in model.parameters()) p.grad = null;
            using var g = new Generator(5);
            var pixels = rand([2, 3, config.Vision.ImageSize, config.Vision.ImageSize], generator: g);   // [N, C, S, S]
            var loss = model.EncodeImages(pixels).square().mean();
            loss.backward();
            var grads = model.named_parameters().Where(p => p.name.StartsWith("vision_tower.", StringComparison.Ordinal) && p.parameter.grad is not null)
                .Select(p => p.parameter.grad!.flatten()).ToArray();
            Assert.True(grads.Length > 10);                                    // every block's weights got gradients
            return (loss.item<float>(), cat(grads).data<float>().ToArray());
        }
        var kept = Run();
        model.ActivationCheckpointing = true;
        Same(kept, Run());
    }

    [Fact]
    public void With_lora_dropout_the_recomputation_draws_the_same_masks()
    {
        using var model = new TinyTasksDomain().LoadBaseModel("cpu");
        manual_seed(1);
        LoraAdapters.Attach((nn.Module)model, new LoraConfig(4, 8, Dropout: 0.3, LoraConfig.AllLinear));
        using (no_grad())
            foreach (var (_, p) in ((nn.Module)model).named_parameters().Where(p => p.name.Contains("lora_B"))) p.normal_(0, 0.05);
        var kept = LossAndGrad(model, maskSeed: 9);
        Assert.NotEqual(kept.Loss, LossAndGrad(model, maskSeed: 10).Loss);    // the masks matter
        model.ActivationCheckpointing = true;
        Same(kept, LossAndGrad(model, maskSeed: 9));                           // a frozen embedding, adapters alone train
    }

    [Fact]
    public void A_grpo_run_with_checkpointing_trains_as_one_without()
    {
        IExperimentMethod method = new GrpoMethod();
        float[] Run(bool checkpointing)
        {
            var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
            {
                ["steps"] = 2, ["prompts"] = 2, ["answers"] = 4, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1, ["checkpointEvery"] = 0,
                ["learningRate"] = 1e-3, ["activationCheckpointing"] = checkpointing,
            });
            var dir = Path.Combine(root.Path, checkpointing ? "on" : "off");
            method.Run(new ExperimentContext(1, options, dir, "cpu", null, new RecordingRunLog(), Domain: DomainCatalog.Default.Resolve(method, options)), CancellationToken.None);
            using var model = ModelFamilies.Load(Path.Combine(dir, "checkpoints", CheckpointKinds.Final));
            return [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];
        }
        var off = Run(false);
        var on = Run(true);
        Assert.InRange(off.Zip(on).Max(p => Math.Abs(p.First - p.Second)) / off.Max(Math.Abs), 0, 1e-4);
    }
}
