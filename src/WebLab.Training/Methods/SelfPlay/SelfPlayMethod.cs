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
        ? "Challenger and Solver are one policy; Solver reward R + R_Q, Challenger reward −V + V_Q, KL to the start model (arXiv 2509.07414, Algorithm 1). Quality judge on TinyTasks: rule-based. " + PresetsNote
        : "Challenger and Solver are one policy in a zero-sum game: Solver reward R, Challenger reward −V, KL to the start model (arXiv 2509.07414, Algorithm 1). " + PresetsNote;

    const string PresetsNote = "Presets: tiny-cpu (3–5 minutes on 2 cores on the tinytasks-frontier testbed: N 16, task slot two queries a slot with a per-task baseline, β 0.1 as an advantage penalty, α_Ch 0.3, lr 1e-4); paper (Table 1: N 8, β 0.05, lr 3e-6).";
    public Type OptionsType => typeof(SelfPlayOptions);
    public string HeadlineMetric => "eval/win_rate";

    public IReadOnlyDictionary<string, JsonObject> Presets { get; } = new Dictionary<string, JsonObject>
    {
        // 3–5 minutes on 2 cores, on the frontier testbed (its base half-solves the levels it is judged on, so learning
        // shows). Deviations from the paper, each named: N 16; the task slot filled, two queries a slot with the per-task
        // Challenger baseline (a slot's difficulty is not the Challenger's doing); KL as an advantage penalty with β 0.1
        // (the note: the literal term does not leash); α_Ch 0.3; lr 1e-4 (at 3e-5 a 60-step run moved each weight by at
        // most 2e-3 and showed nothing); LSP's 0–7 quality scaled to 0–1 so it does not swamp a 0–1 reward.
        ["tiny-cpu"] = new()
        {
            ["domain"] = "tinytasks-frontier", ["steps"] = 300, ["queries"] = 16, ["answers"] = 8, ["beta"] = 0.1, ["kl"] = "AdvantagePenalty",
            ["learningRate"] = 1e-4, ["challengerWeight"] = 0.3, ["qualityWeight"] = 1.0 / 7, ["useTaskSlot"] = true, ["queriesPerTask"] = 2,
            ["challengerBaseline"] = "PerTask", ["evalEvery"] = 150, ["evalPerSplit"] = 60, ["sampleEvery"] = 5,
        },
        // Table 1 of the paper (N 8, β 0.05, lr 3e-6); G and α_Ch are not given: 8 and 1. Judged on the frontier testbed.
        ["paper"] = new() { ["domain"] = "tinytasks-frontier", ["queries"] = 8, ["beta"] = 0.05, ["learningRate"] = 3e-6, ["answers"] = 8, ["challengerWeight"] = 1.0 },
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
