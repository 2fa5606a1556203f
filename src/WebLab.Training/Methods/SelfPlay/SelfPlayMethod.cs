// The "lsp" and "lsp-zero" experiment methods: Language Self-Play on a domain (TinyTasks by default) from its base model
// (or a parent experiment's checkpoint, which then is also the reference).
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.SelfPlay;

public sealed class SelfPlayMethod(bool withQuality) : IExperimentMethod<SelfPlayOptions>
{
    public string Name => withQuality ? "lsp" : "lsp-zero";
    public string Title => withQuality ? "Language Self-Play (LSP)" : "Language Self-Play, zero-sum (LSP-Zero)";
    public string Description => withQuality
        ? "Challenger and Solver are one policy; Solver reward R + R_Q, Challenger reward −V + V_Q, KL to the start model (arXiv 2509.07414, Algorithm 1). Quality judge on TinyTasks: rule-based. " + PresetsNote
        : "Challenger and Solver are one policy in a zero-sum game: Solver reward R, Challenger reward −V, KL to the start model (arXiv 2509.07414, Algorithm 1). " + PresetsNote;

    const string PresetsNote = "Presets: tiny-cpu (about 8 minutes on 2 cores on the tinytasks-frontier testbed: N 16, task slot two queries a slot with a per-task baseline, exact-match reward with the Solver's dynamic sampling over 3 rounds, β 0.1 as an advantage penalty, α_Ch 0.3, lr 1e-4); headroom (tiny-cpu on the tinytasks-headroom testbed, the base's sort, cnt and dedup, 420 items: about 5 minutes on 2 cores, LSP 56.7% and LSP-Zero 55.6% at 300 iterations; 58.5% and 60.5% at 600); degeneration (tiny-cpu with the paper's Challenger rules, α_Ch 1 against the mean of all N, and partial credit, 1,000 steps: an invalid query is then the Challenger's strictly best move under LSP-Zero, which degenerates, while LSP holds; about 20 minutes a run on one thread); paper (Table 1: N 8, β 0.05, lr 3e-6).";
    public string HeadlineMetric => MetricNames.EvalWinRate;
    public RunRecords Records => RunRecords.ChallengerRounds | RunRecords.Verdicts;

    // 3–5 minutes on 2 cores, on the frontier testbed (its base half-solves the levels it is judged on, so learning
    // shows). Deviations from the paper, each named: N 16; the task slot filled, two queries a slot with the per-task
    // Challenger baseline (a slot's difficulty is not the Challenger's doing); KL as an advantage penalty with β 0.1
    // (the note: the literal term does not leash); α_Ch 0.3; lr 1e-4 (at 3e-5 a 60-step run moved each weight by at
    // most 2e-3 and showed nothing); LSP's 0–7 quality scaled to 0–1 so it does not swamp a 0–1 reward. Exact-match
    // reward with the Solver's dynamic sampling (3 rounds), as GRPO's preset: at 300 steps 52.3% for both LSP and
    // LSP-Zero (W 26 / L 7 and 23 / 4), against 51.2% and 51.3% with partial credit and one round.
    static readonly SelfPlayOptions TinyCpu = new()
    {
        Domain = TinyTasksTestbed.Frontier.Id, Steps = 300, Queries = 16, Answers = 8, Beta = 0.1, Kl = KlEstimator.AdvantagePenalty,
        LearningRate = 1e-4, ChallengerWeight = 0.3, QualityWeight = 1.0 / 7, UseTaskSlot = true, QueriesPerTask = 2,
        ChallengerBaseline = ChallengerBaseline.PerTask, PartialCredit = false, SamplingRounds = 3,
        EvalEvery = 150, EvalPerSplit = 60, SampleEvery = 5,
    };

    public IReadOnlyDictionary<string, SelfPlayOptions> OptionPresets { get; } = new Dictionary<string, SelfPlayOptions>
    {
        [PresetNames.TinyCpu] = TinyCpu,
        // tiny-cpu on the headroom testbed (the frontier base's sort, cnt and dedup: the README's measurement), 420 items
        ["headroom"] = TinyCpu with { Domain = TinyTasksTestbed.Headroom.Id, EvalPerSplit = 140 },
        // tiny-cpu with the paper's Challenger rules (α_Ch 1, A_Ch against the mean of all N) and the domain's partial
        // credit, 1,000 steps: where the zero-sum game pays nonsense strictly (a valid query's answers earn something,
        // an invalid one's nothing), so LSP-Zero degenerates and LSP does not (bench/evidence/selfplay-degeneration.md).
        ["degeneration"] = TinyCpu with { PartialCredit = true, ChallengerWeight = 1.0, ChallengerBaseline = ChallengerBaseline.Mean, Steps = 1000, EvalEvery = 1000 },
        // Table 1 of the paper (N 8, β 0.05, lr 3e-6); G and α_Ch are not given: 8 and 1. Judged on the frontier testbed.
        ["paper"] = new() { Domain = TinyTasksTestbed.Frontier.Id, Queries = 8, Beta = 0.05, LearningRate = 3e-6, Answers = 8, ChallengerWeight = 1.0 },
    };

    public long TotalSteps(SelfPlayOptions o) => o.Steps;

    /// <summary>The Solver's N·G answers and the Challenger's N queries in one update; a frozen reference (also LSP's
    /// quality judge) and the evaluation opponent.</summary>
    public RunMemoryShape MemoryShape(SelfPlayOptions o) => o.MicroBatch > 0
        ? new(Math.Min(o.MicroBatch, o.Queries * o.Answers), RunMemoryShape.Generated(o.RolloutBatch, o.Queries * o.Answers), FrozenCopies: 2, ChallengerRows: Math.Min(o.MicroBatch, o.Queries), MicroBatched: true)
        : new(o.Queries * o.Answers, RunMemoryShape.Generated(o.RolloutBatch, o.Queries * o.Answers), FrozenCopies: 2, ChallengerRows: o.Queries);

    public DomainCapability Needs(SelfPlayOptions o) => DomainCapability.SelfPlayGame;

    public void Run(ExperimentContext context, SelfPlayOptions o, CancellationToken ct)
    {
        using var run = RlRun.Start(context, o);
        context.Log.Info($"{Name}: reward {run.Domain.Reward.Name}; {(withQuality ? "quality " + run.Domain.Quality.Name : "no quality reward")}; KL {o.Kl}, β {o.Beta}");
        new SelfPlayRecipe(o, withQuality, run.Domain, run.Policy, run.Reference, context.Log).Train(run.Evaluation, ct, run.Checkpointing);
        run.Finish(context, o.Steps);
    }
}
