// The "lsp" and "lsp-zero" experiment methods: Language Self-Play on TinyTasks from the built-in base model
// (or a parent experiment's checkpoint, which then is also the reference).
using System.Text.Json.Nodes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models.Llama;

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
        using var policy = PolicyModel(context);
        using var reference = FrozenStartModel(context);
        using var baseModel = TinyBaseModel.Load(context.Device);
        var domain = new TinyTasksDomain(o.PartialCredit);
        context.Log.Info($"{Name}: reward {domain.Reward.Name}; {(withQuality ? "quality " + domain.Quality.Name : "no quality reward")}; KL {o.Kl}, β {o.Beta}");
        var evaluation = new EvaluationLoop(domain, baseModel, o.EvalPerSplit, o.EvalTemperature, o.Seed, context.Log);
        new SelfPlayRecipe(o, withQuality, domain, policy, reference, context.Log).Train(evaluation, ct, Resumption.Of(context, o.CheckpointEvery));
        FinalCheckpoint.Save(policy, context, o.Steps);
    }

    /// <summary>The parent's checkpoint for follow-on runs, else the built-in TinyTasks base model.</summary>
    public static LlamaForCausalLM StartModel(ExperimentContext context) =>
        context.ParentCheckpoint is { } dir ? LlamaLoader.FromHfFolder(dir, context.Device) : TinyBaseModel.Load(context.Device);

    /// <summary>The model to train: the run's saved state when it resumes, else the start model.</summary>
    public static LlamaForCausalLM PolicyModel(ExperimentContext context) =>
        context.Resume is { } resume ? LlamaLoader.FromHfFolder(resume.Directory, context.Device) : StartModel(context);

    /// <summary>The start model again, frozen: the reference π_Ref of the KL term (never the resumed state).</summary>
    public static LlamaForCausalLM FrozenStartModel(ExperimentContext context)
    {
        var model = StartModel(context);
        foreach (var p in model.parameters()) p.requires_grad = false;
        return model;
    }
}
