// Every method ends the same way: the trained model as an HF folder under the run's checkpoints/final, reported to the log.
using WebLab.Training.Experiments;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.Common;

public static class FinalCheckpoint
{
    public static void Save(IPolicy model, ExperimentContext context, long step)
    {
        var dir = Path.Combine(context.RunDirectory, "checkpoints", CheckpointKinds.Final);
        model.Save(dir);
        context.Log.Checkpoint(new CheckpointRecord(step, dir, CheckpointKinds.Final));
    }
}
