// The "sft" experiment method: TinyTasks supervised fine-tuning, as a lab experiment.
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.Sft;

public sealed class SftMethod : IExperimentMethod
{
    public string Name => "sft";
    public string Title => "Supervised fine-tuning (TinyTasks)";
    public string Description => "Trains a character-level Llama on EASY TinyTasks instructions (solver answers and challenger instructions); this recipe makes the tiny base model.";
    public Type OptionsType => typeof(SftOptions);
    public string HeadlineMetric => "eval/accuracy";

    public IReadOnlyDictionary<string, JsonObject> Presets { get; } = new Dictionary<string, JsonObject>
    {
        // Finishes in well under 2 minutes on 2 cores (about 15 s here): a 2-layer width-64 model, 800 steps.
        ["tiny-cpu"] = new() { ["steps"] = 800, ["batchSize"] = 64, ["layers"] = 2, ["width"] = 64, ["heads"] = 4, ["kvHeads"] = 2, ["warmupSteps"] = 50, ["evalEvery"] = 200, ["evalPerSplit"] = 12 },
        // The shipped base model (weblab train-base), with a fixed thread count so it regenerates byte for byte.
        ["base"] = new() { ["steps"] = 5000, ["threads"] = 1 },
    };

    public long TotalSteps(object options) => ((SftOptions)options).Steps;

    public void Run(ExperimentContext context, CancellationToken ct)
    {
        var o = (SftOptions)context.Options;
        using var model = SftRecipe.Train(o, context.Device, context.ParentCheckpoint, context.Log, ct, Resumption.Of(context, o.CheckpointEvery));
        FinalCheckpoint.Save(model, context, o.Steps);
    }
}
