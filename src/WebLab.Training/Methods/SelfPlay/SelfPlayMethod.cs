// The "lsp" and "lsp-zero" experiment methods: Language Self-Play on a domain (TinyTasks by default) from its base model
// (or a parent experiment's checkpoint, which then is also the reference).
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.SelfPlay;

public sealed class SelfPlayMethod(bool withQuality) : IExperimentMethod<SelfPlayOptions>
{
    public string Name => withQuality ? "lsp" : "lsp-zero";
    public string Title => withQuality ? "Language Self-Play (LSP)" : "Language Self-Play, zero-sum (LSP-Zero)";
    public string Description => withQuality
        ? "Challenger and Solver are one policy; Solver reward R + R_Q, Challenger reward −V + V_Q, KL to the start model (arXiv 2509.07414, Algorithm 1). Quality judge on TinyTasks: rule-based."
        : "Challenger and Solver are one policy in a zero-sum game: Solver reward R, Challenger reward −V, KL to the start model (arXiv 2509.07414, Algorithm 1).";
    public string HeadlineMetric => MetricNames.EvalWinRate;

    public IReadOnlyDictionary<string, SelfPlayOptions> OptionPresets { get; } = new Dictionary<string, SelfPlayOptions>
    {
        // Deviations from the paper, each named: task slot filled, KL as an advantage penalty with β 0.1, α_Ch 0.3,
        // lr 3e-5 (the note's stable setting); LSP's 0–7 quality scaled to 0–1 so it does not swamp a 0–1 reward.
        [PresetNames.TinyCpu] = new()
        {
            Steps = 60, Queries = 8, Answers = 8, Beta = 0.1, Kl = KlEstimator.AdvantagePenalty, LearningRate = 3e-5,
            ChallengerWeight = 0.3, QualityWeight = 1.0 / 7, UseTaskSlot = true, EvalEvery = 30, EvalPerSplit = 12, SampleEvery = 5,
        },
        // Table 1 of the paper (N 8, β 0.05, lr 3e-6); G and α_Ch are not given: 8 and 1. These are the defaults, so the
        // preset serves as {} (presets are served as their differences from the defaults).
        ["paper"] = new() { Queries = 8, Beta = 0.05, LearningRate = 3e-6, Answers = 8, ChallengerWeight = 1.0 },
    };

    public long TotalSteps(SelfPlayOptions o) => o.Steps;

    public void Run(ExperimentContext context, SelfPlayOptions o, CancellationToken ct)
    {
        using var run = RlRun.Start(context, o);
        context.Log.Info($"{Name}: reward {run.Domain.Reward.Name}; {(withQuality ? "quality " + run.Domain.Quality.Name : "no quality reward")}; KL {o.Kl}, β {o.Beta}");
        new SelfPlayRecipe(o, withQuality, run.Domain, run.Policy, run.Reference, context.Log).Train(run.Evaluation, ct, run.Resumption);
        run.Finish(context, o.Steps);
    }
}
