// The "grpo" experiment method: GRPO on TinyTasks training prompts (generated, or an imported set), the data-driven
// baseline of the LSP paper.
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.Grpo;

public sealed class GrpoMethod : IExperimentMethod<GrpoOptions>
{
    public string Name => "grpo";
    public string Title => "GRPO with data (baseline)";
    public string Description => "Group-relative policy optimisation on TinyTasks training prompts (generated at levels 1..MaxLevel, or an imported prompt set; held-out items never), KL to the start model.";
    public string HeadlineMetric => MetricNames.EvalWinRate;

    public IReadOnlyDictionary<string, GrpoOptions> OptionPresets { get; } = new Dictionary<string, GrpoOptions>
    {
        [PresetNames.TinyCpu] = new() { Steps = 60, LearningRate = 3e-5, Beta = 0.1, EvalEvery = 30, EvalPerSplit = 12, SampleEvery = 5 },
        // the paper's GRPO baseline (N 8, β 0.05, lr 1e-6): the defaults, served as {}
        ["paper"] = new() { Prompts = 8, Beta = 0.05, LearningRate = 1e-6 },
    };

    public long TotalSteps(GrpoOptions o) => o.Steps;

    public void Run(ExperimentContext context, GrpoOptions o, CancellationToken ct)
    {
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
