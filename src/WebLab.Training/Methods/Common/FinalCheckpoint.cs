// Every method ends the same way: the trained model as an HF folder under the run's checkpoints/final, reported to the log.
using WebLab.Training.Experiments;
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Methods.Common;

public static class FinalCheckpoint
{
    public static void Save(LlamaForCausalLM model, ExperimentContext context, long step)
    {
        var dir = Path.Combine(context.RunDirectory, "checkpoints", "final");
        LlamaLoader.SaveHfFolder(model, dir);
        context.Log.Checkpoint(new CheckpointRecord(step, dir, "final"));
    }
}
