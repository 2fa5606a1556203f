// A LoRA run end to end: grpo and sft with adapter Lora train only the adapters, resume to the same bits (dropout masks
// included), keep the adapter alone in the resumable state, and end with a merged model and the adapter in PEFT's files,
// which folded onto the base gives the merged model's logits.
using System.Text.Json.Nodes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Methods.Sft;
using WebLab.Training.Models;
using WebLab.Training.Models.Lora;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.Common;

public sealed class LoraRunTests : IDisposable
{
    readonly TempFolder root = new("lora-run");
    public void Dispose() => root.Dispose();

    (RecordingRunLog Whole, RecordingRunLog Resumed, string WholeDir) WholeAndResumed(IExperimentMethod method, object options, string? parent = null)
    {
        var (whole, resumed, state, dir) = ResumedRuns.Of(method, options, root.Path, parent);
        // the resumable state is the adapter alone, in PEFT's files
        Assert.True(File.Exists(Path.Combine(state.Directory, LoraConfig.WeightsFile)) && File.Exists(Path.Combine(state.Directory, LoraConfig.ConfigFile)));
        Assert.False(File.Exists(Path.Combine(state.Directory, "model.safetensors")));
        return (whole, resumed, dir);
    }

    static float[] Logits(IPolicy model)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = tensor(new long[] { 1, 20, 21, 22, 5, 6 }, [1, 6]);
        return model.Forward(tokens, arange(6, ScalarType.Int64).unsqueeze(0), null, null).flatten().data<float>().ToArray();
    }

    [Fact]
    public void A_lora_grpo_run_trains_the_adapters_resumes_exactly_and_ends_with_a_merged_model_and_its_adapter()
    {
        IExperimentMethod method = new GrpoMethod();
        var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
        {
            ["steps"] = 4, ["prompts"] = 2, ["answers"] = 4, ["checkpointEvery"] = 2, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1,
            ["learningRate"] = 1e-2, ["adapter"] = "Lora", ["loraRank"] = 4, ["loraDropout"] = 0.1,
        });
        var (whole, resumed, dir) = WholeAndResumed(method, options);
        foreach (var name in new[] { MetricNames.LossSolver, MetricNames.KlSolver, MetricNames.SolverRewardMean, MetricNames.EntropySolver })
            Assert.Equal(whole.Series(name).Where(p => p.Step > 2).Select(p => p.Value), resumed.Series(name).Select(p => p.Value));
        Assert.Equal(0, whole.Series(MetricNames.KlSolver)[0].Value);          // step 1: B = 0, the policy is its reference

        var final = Path.Combine(dir, "checkpoints", CheckpointKinds.Final);
        using var merged = ModelFamilies.Load(final);
        using var baseModel = DomainCatalog.Default.DomainOf(options)!.LoadBaseModel("cpu");   // the run's start model
        Assert.NotEqual(Logits(baseModel), Logits(merged));                    // the adapters trained
        // the adapter beside it, folded onto the base, is the merged model
        LoraAdapters.Load((nn.Module)baseModel, Path.Combine(final, "adapter"));
        var a = Logits(baseModel);
        var b = Logits(merged);
        Assert.InRange(a.Zip(b).Max(p => Math.Abs(p.First - p.Second)) / a.Max(Math.Abs), 0, 1e-5);
    }

    [Fact]
    public void A_lora_sft_run_resumes_exactly()
    {
        IExperimentMethod method = new SftMethod();
        var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
        {
            ["steps"] = 4, ["batchSize"] = 4, ["warmupSteps"] = 1, ["checkpointEvery"] = 2, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1,
            ["adapter"] = "Lora", ["loraRank"] = 2, ["loraDropout"] = 0.2, ["learningRate"] = 1e-2,
        });
        // adapters over a stored base (the tiny base as the parent), as LoRA is used: the resumed run reloads that base. From
        // scratch the base would be drawn again from torch's global generator, which tests running beside this one also draw from.
        var (whole, resumed, _) = WholeAndResumed(method, options, TinyBaseModel.CurrentPath);
        Assert.Equal([3L, 4L], resumed.Series("train/loss").Select(p => p.Step));
        Assert.Equal(whole.Series("train/loss").Where(p => p.Step > 2).Select(p => p.Value), resumed.Series("train/loss").Select(p => p.Value));
        Assert.NotEqual(whole.Series("train/loss")[0].Value, whole.Series("train/loss")[3].Value);
    }
}
