// The "grpo" experiment method: GRPO on TinyTasks training prompts (generated, or an imported set), the data-driven
// baseline of the LSP paper.
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.Grpo;

public sealed class GrpoMethod : IExperimentMethod
{
    public string Name => "grpo";
    public string Title => "GRPO with data (baseline)";
    public string Description => "Group-relative policy optimisation on TinyTasks training prompts (generated at levels 1..MaxLevel, or an imported prompt set; held-out items never), KL to the start model.";
    public Type OptionsType => typeof(GrpoOptions);
    public string HeadlineMetric => "eval/win_rate";

    public IReadOnlyDictionary<string, JsonObject> Presets { get; } = new Dictionary<string, JsonObject>
    {
        ["tiny-cpu"] = new() { ["steps"] = 60, ["learningRate"] = 3e-5, ["beta"] = 0.1, ["evalEvery"] = 30, ["evalPerSplit"] = 12, ["sampleEvery"] = 5 },
        ["paper"] = new() { ["prompts"] = 8, ["beta"] = 0.05, ["learningRate"] = 1e-6 },
    };

    public long TotalSteps(object options) => ((GrpoOptions)options).Steps;

    public void Run(ExperimentContext context, CancellationToken ct)
    {
        var o = (GrpoOptions)context.Options;
        using var run = RlRun.Start(context, o, trainingMaxLevel: o.MaxLevel);
        PromptSet? data = null;
        if (o.PromptSet is { Length: > 0 } imported)
        {
            var prompts = imported.Select(p => p.Trim()).ToArray();
            data = new PromptSet(prompts);
            context.Log.Info($"training prompts: imported set of {prompts.Length:N0} (sha256 {PromptSetFile.Fingerprint(prompts)[..16]}…); maxLevel is not used");
        }
        new GrpoRecipe(o, run.Domain, run.Policy, run.Reference, context.Log, data).Train(run.Evaluation, ct, run.Resumption);
        run.Finish(context, o.Steps);
    }
}
