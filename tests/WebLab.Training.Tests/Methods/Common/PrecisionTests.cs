// bf16-mixed against fp32: the same loss and gradients within a stated tolerance, on the tiny base and on a ~56M random
// Llama-layout model; the weights and their gradients stay fp32 (AdamW steps fp32 masters); frozen networks held in bf16
// give the fp32 logits within tolerance; the KV cache follows the compute dtype; a bf16-mixed run resumes exactly.
// Tolerances (bf16 keeps 8 mantissa bits, a relative step of 2⁻⁸ ≈ 0.4%): the mean log-prob within 2% of fp32's, the
// gradient's cosine with fp32's above 0.99 and its norm within 5%.
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.Common;

public sealed class PrecisionTests(ITestOutputHelper output) : IDisposable
{
    readonly TempFolder root = new("precision");
    public void Dispose() => root.Dispose();

    /// <summary>Mean completion log-prob of <paramref name="batch"/> and the flattened gradient of every weight (fp32).</summary>
    static (double Loss, float[] Grad) LossAndGrad(IPolicy model, PackedSequences batch)
    {
        using var scope = NewDisposeScope();
        foreach (var p in model.parameters()) p.grad = null;
        var lp = SequenceLogProbs.Compute(model, batch);
        var loss = -(lp.LogProbs.sum() / lp.Mask.sum());
        loss.backward();
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.grad!.dtype));       // gradients land on fp32 masters
        var grad = cat(model.parameters().Select(p => p.grad!.flatten()).ToArray()).data<float>().ToArray();
        return (loss.item<float>(), grad);
    }

    void Close((double Loss, float[] Grad) fp32, (double Loss, float[] Grad) bf16)
    {
        Assert.NotEqual(fp32.Loss, bf16.Loss);                                                        // it did compute in bf16
        double dot = 0, a2 = 0, b2 = 0;
        for (int i = 0; i < fp32.Grad.Length; i++) { dot += fp32.Grad[i] * (double)bf16.Grad[i]; a2 += fp32.Grad[i] * (double)fp32.Grad[i]; b2 += bf16.Grad[i] * (double)bf16.Grad[i]; }
        double lossError = Math.Abs(bf16.Loss - fp32.Loss) / Math.Abs(fp32.Loss), cosine = dot / Math.Sqrt(a2 * b2), normRatio = Math.Sqrt(b2 / a2);
        output.WriteLine($"loss fp32 {fp32.Loss:G6} bf16 {bf16.Loss:G6} (relative error {lossError:E2}); gradient cosine {cosine:F5}, norm ratio {normRatio:F4}");
        Assert.InRange(lossError, 0, 0.02);
        Assert.InRange(cosine, 0.99, 1.0 + 1e-9);
        Assert.InRange(normRatio, 0.95, 1.05);
    }

    static PackedSequences TinyTasksBatch(int n, int seed)
    {
        var rng = new Random(seed);
        var examples = Enumerable.Range(0, n).Select(_ => TinyTasksSupervised.Example(rng, new SupervisedSettings(4, 0, 0))).ToList();
        return SequenceLogProbs.Pack([.. examples.Select(e => e.Prompt)], [.. examples.Select(e => e.Target)], TinyTasksTokenizer.Instance.PadId, CPU);
    }

    [Fact]
    public void Bf16_mixed_gives_fp32s_loss_and_gradients_on_the_tiny_base()
    {
        using var model = new TinyTasksDomain().LoadBaseModel("cpu");
        using var batch = TinyTasksBatch(8, 1);
        var fp32 = LossAndGrad(model, batch);
        Precisions.Trained(model, Precision.Bf16Mixed, "cpu");
        Assert.Equal(ScalarType.BFloat16, model.ComputeDtype);
        var bf16 = LossAndGrad(model, batch);
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));             // the weights stay fp32
        Close(fp32, bf16);
    }

    [Fact]
    public void Bf16_mixed_checkpointing_and_micro_batches_give_fp32s_loss_and_gradients_on_a_56M_random_llama()
    {
        manual_seed(5);
        using var model = new LlamaForCausalLM(new LlamaConfig
        {
            VocabSize = 32_000, HiddenSize = 512, IntermediateSize = 1408, NumLayers = 8, NumHeads = 8, NumKvHeads = 4, MaxPositions = 256,
            TieWordEmbeddings = false, InitializerRange = 0.02,
        });
        Assert.InRange(model.parameters().Sum(p => p.numel()), 50_000_000L, 60_000_000L);
        var rng = new Random(2);
        int[] Ids(int n) => [.. Enumerable.Range(0, n).Select(_ => rng.Next(32_000))];
        int[][] prompts = [Ids(16), Ids(24)], completions = [Ids(32), Ids(20)];
        using var batch = SequenceLogProbs.Pack(prompts, completions, 0, CPU);
        var fp32 = LossAndGrad(model, batch);

        // checkpointing (training mode: the layers are recomputed in the backward)
        model.train();
        model.ActivationCheckpointing = true;
        Equal(fp32, LossAndGrad(model, batch), "checkpointing");
        model.ActivationCheckpointing = false;
        model.eval();

        // micro-batches of one row: each row's summed log-prob over the batch's tokens, backpropagated in turn
        foreach (var p in model.parameters()) p.grad = null;
        double total = completions.Sum(c => c.Length), loss = 0;
        for (int r = 0; r < 2; r++)
        {
            using var scope = NewDisposeScope();
            using var part = SequenceLogProbs.Pack([prompts[r]], [completions[r]], 0, CPU);
            using var over = total.ToScalar();
            var l = -SequenceLogProbs.Compute(model, part).LogProbs.sum() / over;
            l.backward();
            loss += l.item<float>();
        }
        Equal(fp32, (loss, cat(model.parameters().Select(p => p.grad!.flatten()).ToArray()).data<float>().ToArray()), "micro-batches");

        model.ComputeDtype = ScalarType.BFloat16;
        Close(fp32, LossAndGrad(model, batch));
    }

    /// <summary>fp32 against fp32 computed another way: the same within float rounding (1e-5 relative).</summary>
    void Equal((double Loss, float[] Grad) a, (double Loss, float[] Grad) b, string what)
    {
        var error = a.Grad.Zip(b.Grad).Max(p => Math.Abs(p.First - p.Second)) / a.Grad.Max(Math.Abs);
        output.WriteLine($"{what}: loss {a.Loss:G7} vs {b.Loss:G7}, largest gradient error {error:E2} of the largest gradient");
        Assert.Equal(a.Loss, b.Loss, 1e-5);
        Assert.InRange(error, 0, 1e-5);
    }

    [Fact]
    public void A_frozen_network_held_in_bf16_gives_fp32s_logits_and_a_bf16_cache()
    {
        using var model = new TinyTasksDomain().LoadBaseModel("cpu");
        using var scope = NewDisposeScope();
        var tokens = tensor(new long[] { 1, 20, 21, 22, 5, 6 }, [1, 6]);
        var positions = arange(6, ScalarType.Int64).unsqueeze(0);
        using var _ = no_grad();
        var fp32 = model.Forward(tokens, positions, null, null);
        Assert.Equal(ScalarType.Float32, model.NewCache(1, 8).Dtype);
        Precisions.Frozen(model, Precision.Bf16Mixed, "cpu");
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.BFloat16, p.dtype));
        Assert.Equal(ScalarType.BFloat16, model.NewCache(1, 8).Dtype);                               // the cache follows
        var bf16 = model.Forward(tokens, positions, null, null);
        Assert.Equal(ScalarType.Float32, bf16.dtype);                                                 // logits come back fp32
        var scale = fp32.abs().max().item<float>();
        var error = (bf16 - fp32).abs().max().item<float>() / scale;
        output.WriteLine($"frozen in bf16: largest logit error {error:E2} of the largest logit {scale:G4}");
        Assert.InRange(error, 0, 0.05);
        // fp32 and Auto on the CPU leave a network as it is
        using var plain = new TinyTasksDomain().LoadBaseModel("cpu");
        Precisions.Frozen(Precisions.Trained(plain, Precision.Auto, "cpu"), Precision.Auto, "cpu");
        Assert.All(plain.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(ScalarType.Float32, plain.ComputeDtype);
        Assert.Equal(Precision.Bf16Mixed, Precisions.Resolve(Precision.Auto, "cuda:0"));
    }

    [Fact]
    public void A_bf16_mixed_grpo_run_trains_and_resumes_exactly()
    {
        IExperimentMethod method = new GrpoMethod();
        var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
        {
            ["steps"] = 4, ["prompts"] = 2, ["answers"] = 4, ["checkpointEvery"] = 2, ["evalEvery"] = 1000, ["evalPerSplit"] = 1,
            ["threads"] = 1, ["learningRate"] = 1e-3, ["precision"] = "Bf16Mixed",
        });
        var (logWhole, logResumed, _, whole) = ResumedRuns.Of(method, options, root.Path);
        var resumed = Path.Combine(root.Path, "resumed");
        foreach (var name in new[] { MetricNames.LossSolver, MetricNames.KlSolver, MetricNames.SolverRewardMean })
        {
            Assert.Equal([3L, 4L], logResumed.Series(name).Select(p => p.Step));
            Assert.Equal(logWhole.Series(name).Where(p => p.Step > 2).Select(p => p.Value), logResumed.Series(name).Select(p => p.Value));
        }
        Assert.All(logWhole.MetricPoints.Where(p => p.Name != MetricNames.TokensPerSecond), p => Assert.True(double.IsFinite(p.Value), p.Name));
        // the final checkpoints: fp32 weights, equal to the bit
        using var a = ModelFamilies.Load(Path.Combine(whole, "checkpoints", CheckpointKinds.Final));
        using var b = ModelFamilies.Load(Path.Combine(resumed, "checkpoints", CheckpointKinds.Final));
        Assert.All(a.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
        Assert.Equal(a.parameters().SelectMany(p => p.data<float>().ToArray()), b.parameters().SelectMany(p => p.data<float>().ToArray()));
    }
}
