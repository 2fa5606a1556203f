// Resumable state: saved model and optimiser state continue exactly where they stopped, a half-written save is never
// taken for a state, and a resumed self-play, SFT or GRPO run repeats the uninterrupted run's steps to the last digit
// (SFT and GRPO by replaying their data streams: the same batches, the same prompts, the same epochs).
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Methods.Sft;
using WebLab.Training.Models.Llama;
using WebLab.Training.Domains.TinyTasks;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.Common;

[Collection(GlobalGenerator.Name)]
public sealed class TrainingStateTests : IDisposable
{
    readonly TempFolder root = new("weblab-state-");

    public void Dispose() => root.Dispose();

    static LlamaForCausalLM Tiny()
    {
        manual_seed(7);
        return new LlamaForCausalLM(TinyBaseModel.Config(1, 32, 2, 1));
    }

    /// <summary>One AdamW step on a fixed batch: loss = mean logit of token 3 (any differentiable function will do).</summary>
    static void Step(LlamaForCausalLM model, optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        var input = tensor(new long[] { 1, 5, 9, 2, 4, 6 }, dtype: int64).reshape(1, 6);
        var loss = model.forward(input)[.., .., 3].mean();
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
    }

    static float[] Flat(LlamaForCausalLM model) => [.. model.parameters().SelectMany(p => p.data<float>().ToArray())];

    [Fact]
    public void A_saved_state_continues_as_if_never_stopped()
    {
        using var a = Tiny();
        using var optA = optim.AdamW(a.parameters(), lr: 1e-2);
        for (int i = 0; i < 3; i++) Step(a, optA);                    // Adam's moments and step count are now non-trivial
        TrainingState.Save(root.Path, a, optA, 3, NullRunLog.Instance);
        var found = new RunFolder(root.Path).SavedState;
        Assert.Equal(3, found!.Step);

        using var b = LlamaLoader.FromHfFolder(found.Directory);
        using var optB = optim.AdamW(b.parameters(), lr: 1e-2);
        TrainingState.LoadOptimizer(found, optB);
        Assert.Equal(Flat(a), Flat(b));
        Step(a, optA);
        Step(b, optB);
        Assert.Equal(Flat(a), Flat(b));                                 // same update: the moments came back too

        // control: a fresh optimiser over the same weights takes a different step
        using var c = LlamaLoader.FromHfFolder(found.Directory);
        using var optC = optim.AdamW(c.parameters(), lr: 1e-2);
        Step(c, optC);
        Assert.NotEqual(Flat(a), Flat(c));
    }

    [Fact]
    public void Only_a_complete_save_is_a_state()
    {
        Assert.Null(new RunFolder(root.Path).SavedState);
        var latest = new RunFolder(root.Path).Latest;
        Directory.CreateDirectory(latest + ".tmp");                      // a crash in the middle of writing
        File.WriteAllText(Path.Combine(latest + ".tmp", "state.json"), "{\"step\": 9}");
        Assert.Null(new RunFolder(root.Path).SavedState);
        Directory.CreateDirectory(latest + ".old");                      // a crash between the two renames
        File.WriteAllText(Path.Combine(latest + ".old", "state.json"), "{\"step\": 4}");
        Assert.Equal(4, new RunFolder(root.Path).SavedState!.Step);
        Directory.CreateDirectory(latest);
        File.WriteAllText(Path.Combine(latest, "state.json"), "{\"ste");   // torn file: fall back to .old
        Assert.Equal(4, new RunFolder(root.Path).SavedState!.Step);
        File.WriteAllText(Path.Combine(latest, "state.json"), "{\"step\": 6}");
        Assert.Equal((latest, 6L), (new RunFolder(root.Path).SavedState!.Directory, new RunFolder(root.Path).SavedState!.Step));
    }

    /// <summary>Runs <paramref name="options"/> (6 steps, state saved after step 3) whole, then again from that state.</summary>
    (RecordingRunLog Whole, RecordingRunLog Resumed, SavedState State) WholeAndResumed(IExperimentMethod method, object options)
    {
        string whole = Path.Combine(root.Path, "whole"), resumed = Path.Combine(root.Path, "resumed");
        var logWhole = new RecordingRunLog();
        method.Run(new ExperimentContext(1, options, whole, "cpu", null, logWhole, Domain: DomainCatalog.Default.Resolve(method, options)), CancellationToken.None);
        var state = new RunFolder(whole).SavedState;
        Assert.Equal(3, state!.Step);
        Assert.Contains(logWhole.Checkpoints, c => c.Kind == CheckpointKind.Latest && c.Step == 3);
        var logResumed = new RecordingRunLog();
        method.Run(new ExperimentContext(2, options, resumed, "cpu", null, logResumed, Resume: state, Domain: DomainCatalog.Default.Resolve(method, options)), CancellationToken.None);
        return (logWhole, logResumed, state);
    }

    /// <summary>The resumed run logged steps 4..6 of <paramref name="name"/> only, with the uninterrupted run's values to the last bit.</summary>
    static void SameTail(RecordingRunLog whole, RecordingRunLog resumed, string name)
    {
        Assert.Equal([4L, 5L, 6L], resumed.Series(name).Select(p => p.Step));
        Assert.Equal(whole.Series(name).Where(p => p.Step > 3).Select(p => p.Value), resumed.Series(name).Select(p => p.Value));
    }

    [Fact]
    public void A_resumed_self_play_run_repeats_the_uninterrupted_one_exactly()
    {
        var method = new SelfPlayMethod(withQuality: true);
        var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
        {
            ["steps"] = 6, ["queries"] = 4, ["answers"] = 4, ["checkpointEvery"] = 3, ["evalEvery"] = 1000, ["evalPerSplit"] = 1,
            ["threads"] = 1, ["learningRate"] = 1e-3,
        });
        var (whole, resumed, _) = WholeAndResumed(method, options);
        foreach (var name in new[] { "solver/reward_mean", "loss/solver", "loss/challenger", "kl/solver", "entropy/solver" })
            SameTail(whole, resumed, name);
        // the loss moved after the checkpoint, so equality is not two idle runs agreeing
        Assert.NotEqual(whole.Series("loss/solver")[3].Value, whole.Series("loss/solver")[5].Value);
    }

    [Fact]
    public void A_resumed_sft_run_draws_the_same_batches_as_the_uninterrupted_one()
    {
        var method = new SftMethod();
        var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
        {
            ["steps"] = 6, ["batchSize"] = 8, ["warmupSteps"] = 2, ["checkpointEvery"] = 3, ["evalEvery"] = 1000, ["evalPerSplit"] = 1,
            ["threads"] = 1,
        });
        var (whole, resumed, _) = WholeAndResumed(method, options);
        SameTail(whole, resumed, "train/loss");                        // same weights, moments and batches → same loss, bit for bit
        SameTail(whole, resumed, "train/grad_norm");
        Assert.Equal(6, whole.Series("train/loss").Select(p => p.Value).Distinct().Count()); // every batch differs: a reseeded stream would show
    }

    [Fact]
    public void A_resumed_grpo_run_draws_the_same_prompts_and_epochs_as_the_uninterrupted_one()
    {
        var method = new GrpoMethod();
        // 5 prompts, 2 a round, up to 2 rounds a step (dynamic sampling): steps draw 2 or 4 prompts and epochs end mid-step,
        // so only a replay of the recorded number of draws lands on the right prompt.
        var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
        {
            ["steps"] = 6, ["prompts"] = 2, ["answers"] = 4, ["samplingRounds"] = 2, ["checkpointEvery"] = 3, ["evalEvery"] = 1000,
            ["evalPerSplit"] = 1, ["sampleEvery"] = 1, ["threads"] = 1, ["learningRate"] = 1e-3,
            ["promptSet"] = new JsonArray("rev abcde", "sort hgfedc", "cnt a abacab", "add 417 86", "dedup aabbccdd"),
        });
        var (whole, resumed, state) = WholeAndResumed(method, options);
        Assert.NotNull(state.DataDraws);
        foreach (var name in new[] { "data/epoch", "solver/reward_mean", "loss/solver", "kl/solver", "groups/kept" })
            SameTail(whole, resumed, name);
        var prompts = (RecordingRunLog log) => log.SampleRecords.Where(r => r.Step > 3).OrderBy(r => r.Step).Select(r => (r.Step, r.Prompt)).ToList();
        Assert.Equal(prompts(whole), prompts(resumed));
        Assert.True(whole.Series("data/epoch")[^1].Value >= 3);        // several passes over the set, some begun after the save
    }
}
