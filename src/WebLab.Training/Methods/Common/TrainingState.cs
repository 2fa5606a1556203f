// The resumable state of a run under <run>/checkpoints/latest: the model (an HF folder), the optimiser's state and the
// step it was saved after. Written to latest.tmp and swapped in, state.json last, so a crash mid-save leaves the
// previous state whole. A resumed run reloads model and optimiser and goes on at step + 1; sampling streams that
// are seeded per step (self-play, rollouts) repeat exactly, and a recipe's running data stream (SFT batches, GRPO's
// prompts) is replayed from its seed for as many draws as the state records, so it continues where it stopped.
using System.Text.Json;
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Common;

/// <summary>A saved state to resume from: its folder, the last step it includes, and how many items the recipe had
/// drawn from its data stream by then (null when the recipe did not say: states saved before it was recorded).</summary>
public sealed record SavedState(string Directory, long Step, long? DataDraws = null);

/// <summary>How a recipe checkpoints: into <paramref name="RunDirectory"/> every <paramref name="Every"/> steps (0 = never),
/// going on from the saved state <paramref name="From"/> (null: a fresh start).</summary>
public sealed record Checkpointing(string RunDirectory, int Every, SavedState? From)
{
    public static Checkpointing Of(ExperimentContext context, int every) => new(context.RunDirectory, every, context.Resume);

    public long StartStep => From?.Step ?? 0;

    /// <summary>Saves after <paramref name="step"/> when it is a multiple of Every and not the last (the final checkpoint covers that).</summary>
    /// <param name="dataDraws">Items drawn from the recipe's data stream so far, for <see cref="TrainingState.Replay"/>.</param>
    public void MaybeSave(IPolicy model, optim.Optimizer optimizer, long step, long lastStep, IRunLog log, long? dataDraws = null)
    {
        if (Every > 0 && step % Every == 0 && step < lastStep) TrainingState.Save(RunDirectory, model, optimizer, step, log, dataDraws);
    }
}

public static class TrainingState
{
    const string OptimizerFile = "optimizer.bin";

    public static void Save(string runDirectory, IPolicy model, optim.Optimizer optimizer, long step, IRunLog log, long? dataDraws = null)
    {
        // every step up to this one is stored before the state that says it is done exists: a resume never re-runs
        // these steps, so a record still buffered when the process dies would be lost for good
        log.Flush();
        var latest = new RunFolder(runDirectory).Latest;
        var (tmp, old) = (latest + ".tmp", latest + ".old");
        if (Directory.Exists(tmp)) Directory.Delete(tmp, recursive: true);
        if (model is nn.Module m && Models.Lora.LoraAdapters.ConfigOf(m) is not null) Models.Lora.LoraAdapters.Save(m, tmp);   // the adapter alone: the base is the start model
        else model.Save(tmp);
        Helper(optimizer).save_state_dict(Path.Combine(tmp, OptimizerFile));
        File.WriteAllText(RunFolder.StateFileIn(tmp), dataDraws is long draws
            ? JsonSerializer.Serialize(new { step, dataDraws = draws })
            : JsonSerializer.Serialize(new { step }));
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        if (Directory.Exists(latest)) Directory.Move(latest, old);
        Directory.Move(tmp, latest);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);
        log.Checkpoint(new CheckpointRecord(step, latest, CheckpointKind.Latest));
    }

    /// <summary>Loads the optimiser's saved state; create the optimiser over the loaded model first (after .to(device)).</summary>
    public static void LoadOptimizer(SavedState from, optim.Optimizer optimizer) =>
        Helper(optimizer).load_state_dict(Path.Combine(from.Directory, OptimizerFile));

    /// <summary>
    /// A recipe's data stream at the point a run stopped: a Random seeded with <paramref name="seed"/> (as a fresh run's),
    /// after <paramref name="draws"/> calls of <paramref name="drawOne"/> (which also advances any sampler state it closes
    /// over, such as a prompt set's epoch). Replaying costs microseconds per draw and makes a resumed run draw the very
    /// items the uninterrupted run would have.
    /// </summary>
    public static Random Replay(int seed, long draws, Action<Random> drawOne)
    {
        var rng = new Random(seed);
        for (long i = 0; i < draws; i++) drawOne(rng);
        return rng;
    }

    static TorchSharp.Modules.OptimizerHelper Helper(optim.Optimizer optimizer) =>
        optimizer as TorchSharp.Modules.OptimizerHelper ?? throw new NotSupportedException($"{optimizer.GetType().Name} cannot save its state");
}
