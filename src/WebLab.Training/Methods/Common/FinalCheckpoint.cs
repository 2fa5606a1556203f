// Every method ends the same way: the trained model as an HF folder under the run's checkpoints/final, reported to the log.
using WebLab.Training.Experiments;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.Common;

public static class FinalCheckpoint
{
    /// <summary>Files of a Hugging Face folder that are not weights or config, kept beside a trained model so the folder stays usable.</summary>
    static readonly string[] CompanionFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"];

    /// <param name="modelFolder">The folder the model was loaded from: its tokenizer and generation files are copied along.</param>
    public static void Save(IPolicy model, ExperimentContext context, long step, string? modelFolder = null)
    {
        var dir = new RunFolder(context.RunDirectory).Final;
        model.Save(dir);                                                    // with LoRA: the merged model
        if (model is TorchSharp.torch.nn.Module m && Models.Lora.LoraAdapters.ConfigOf(m) is not null)
            Models.Lora.LoraAdapters.Save(m, Path.Combine(dir, "adapter"), modelFolder);   // and the adapter in PEFT's files
        if (modelFolder is not null)
            foreach (var file in CompanionFiles.Where(f => File.Exists(Path.Combine(modelFolder, f))))
                File.Copy(Path.Combine(modelFolder, file), Path.Combine(dir, file), overwrite: true);
        context.Log.Checkpoint(new CheckpointRecord(step, dir, CheckpointKind.Final));
    }
}
