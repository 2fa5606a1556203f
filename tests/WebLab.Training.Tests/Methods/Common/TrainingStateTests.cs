// Resumable state: saved model and optimiser state continue exactly where they stopped, a half-written save is never
// taken for a state, and a resumed self-play run repeats the uninterrupted run's steps to the last digit.
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Models.Llama;
using WebLab.Training.Domains.TinyTasks;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Methods.Common;

public sealed class TrainingStateTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("weblab-state-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

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
        TrainingState.Save(root, a, optA, 3, NullRunLog.Instance);
        var found = TrainingState.Find(root);
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
        Assert.Null(TrainingState.Find(root));
        var latest = TrainingState.LatestDirectory(root);
        Directory.CreateDirectory(latest + ".tmp");                      // a crash in the middle of writing
        File.WriteAllText(Path.Combine(latest + ".tmp", "state.json"), "{\"step\": 9}");
        Assert.Null(TrainingState.Find(root));
        Directory.CreateDirectory(latest + ".old");                      // a crash between the two renames
        File.WriteAllText(Path.Combine(latest + ".old", "state.json"), "{\"step\": 4}");
        Assert.Equal(4, TrainingState.Find(root)!.Step);
        Directory.CreateDirectory(latest);
        File.WriteAllText(Path.Combine(latest, "state.json"), "{\"ste");   // torn file: fall back to .old
        Assert.Equal(4, TrainingState.Find(root)!.Step);
        File.WriteAllText(Path.Combine(latest, "state.json"), "{\"step\": 6}");
        Assert.Equal((latest, 6L), (TrainingState.Find(root)!.Directory, TrainingState.Find(root)!.Step));
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
        string whole = Path.Combine(root, "whole"), resumed = Path.Combine(root, "resumed");
        var logWhole = new RecordingRunLog();
        method.Run(new ExperimentContext(1, options, whole, "cpu", null, logWhole), CancellationToken.None);
        var state = TrainingState.Find(whole);
        Assert.Equal(3, state!.Step);
        Assert.Contains(logWhole.Checkpoints, c => c.Kind == "latest" && c.Step == 3);

        var logResumed = new RecordingRunLog();
        method.Run(new ExperimentContext(2, options, resumed, "cpu", null, logResumed, Resume: state), CancellationToken.None);
        foreach (var name in new[] { "solver/reward_mean", "loss/solver", "loss/challenger", "kl/solver", "entropy/solver" })
        {
            Assert.Equal([4L, 5L, 6L], logResumed.Series(name).Select(p => p.Step));
            Assert.Equal(logWhole.Series(name).Where(p => p.Step > 3).Select(p => p.Value), logResumed.Series(name).Select(p => p.Value));
        }
        // the loss moved after the checkpoint, so equality is not two idle runs agreeing
        Assert.NotEqual(logWhole.Series("loss/solver")[3].Value, logWhole.Series("loss/solver")[5].Value);
    }
}
