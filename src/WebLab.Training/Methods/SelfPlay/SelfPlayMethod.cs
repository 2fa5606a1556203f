// The "lsp" and "lsp-zero" experiment methods: Language Self-Play on a domain (TinyTasks by default) from its base model
// (or a parent experiment's checkpoint, which then is also the reference).
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.SelfPlay;

public sealed class SelfPlayMethod(bool withQuality) : IExperimentMethod
{
    public string Name => withQuality ? "lsp" : "lsp-zero";
    public string Title => withQuality ? "Language Self-Play (LSP)" : "Language Self-Play, zero-sum (LSP-Zero)";
    public string Description => withQuality
        ? "Challenger and Solver are one policy; Solver reward R + R_Q, Challenger reward −V + V_Q, KL to the start model (arXiv 2509.07414, Algorithm 1). Quality judge on TinyTasks: rule-based."
        : "Challenger and Solver are one policy in a zero-sum game: Solver reward R, Challenger reward −V, KL to the start model (arXiv 2509.07414, Algorithm 1).";
    public Type OptionsType => typeof(SelfPlayOptions);
    public string HeadlineMetric => "eval/win_rate";

    public IReadOnlyDictionary<string, JsonObject> Presets { get; } = new Dictionary<string, JsonObject>
    {
        // Deviations from the paper, each named: task slot filled, KL as an advantage penalty with β 0.1, α_Ch 0.3,
        // lr 3e-5 (the note's stable setting); LSP's 0–7 quality scaled to 0–1 so it does not swamp a 0–1 reward.
        ["tiny-cpu"] = new()
        {
            ["steps"] = 60, ["queries"] = 8, ["answers"] = 8, ["beta"] = 0.1, ["kl"] = "AdvantagePenalty", ["learningRate"] = 3e-5,
            ["challengerWeight"] = 0.3, ["qualityWeight"] = 1.0 / 7, ["useTaskSlot"] = true, ["evalEvery"] = 30, ["evalPerSplit"] = 12, ["sampleEvery"] = 5,
        },
        // Table 1 of the paper (N 8, β 0.05, lr 3e-6); G and α_Ch are not given: 8 and 1.
        ["paper"] = new() { ["queries"] = 8, ["beta"] = 0.05, ["learningRate"] = 3e-6, ["answers"] = 8, ["challengerWeight"] = 1.0 },
    };

    public long TotalSteps(object options) => ((SelfPlayOptions)options).Steps;

    public void Run(ExperimentContext context, CancellationToken ct)
    {
        var o = (SelfPlayOptions)context.Options;
        using var run = RlRun.Start(context, o);
        context.Log.Info($"{Name}: reward {run.Domain.Reward.Name}; {(withQuality ? "quality " + run.Domain.Quality.Name : "no quality reward")}; KL {o.Kl}, β {o.Beta}");
        new SelfPlayRecipe(o, withQuality, run.Domain, run.Policy, run.Reference, context.Log).Train(run.Evaluation, ct, run.Resumption);
        run.Finish(context, o.Steps);
    }
}
