// Options of Language Self-Play (methods "lsp" and "lsp-zero"). Defaults are the paper's values (arXiv 2509.07414,
// v3 Table 1) where it gives them; every deviation is a named option, and the tiny-cpu preset says which it changes.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Methods.Common;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.SelfPlay;

public sealed record SelfPlayOptions : IRlOptions
{
    [Description("Domain: its base model, tokenizer, prompts and evaluation (tinytasks is the built-in one)."), KnownDomain]
    public string Domain { get; init; } = DomainCatalog.DefaultName;

    [Description("Self-play iterations (one optimiser step each). Not given in the paper (samples shown at 500/1000/1500)."), Range(1, 1_000_000)]
    public int Steps { get; init; } = 1500;

    [Description("N: Challenger queries per iteration (paper: 8)."), Range(1, 1024)]
    public int Queries { get; init; } = 8;

    [Description("G: Solver answers per query. Not given in the paper; 8 is our default."), Range(2, 256)]
    public int Answers { get; init; } = 8;

    [Description("β: KL weight towards the reference (paper: 0.05)."), Range(0.0, 100.0)]
    public double Beta { get; init; } = 0.05;

    [Description("KL estimator: K3 (per-token exp(r)−r−1, TRL's; default), Literal (the paper's sequence log-ratio in the loss: no pull to the reference in expectation), AdvantagePenalty (detached log-ratio subtracted from the advantage).")]
    [JsonConverter(typeof(JsonStringEnumConverter<KlEstimator>))]
    public KlEstimator Kl { get; init; } = KlEstimator.K3;

    [Description("Sequence (sum of token log-probs, the paper's) or Token (mean over each answer's tokens).")]
    [JsonConverter(typeof(JsonStringEnumConverter<LossAveraging>))]
    public LossAveraging Averaging { get; init; } = LossAveraging.Sequence;

    [Description("Divide advantages by their group's std (a GRPO habit; the paper does not).")]
    public bool ScaleByStd { get; init; }

    [Description("Learning rate (paper: 3e-6 for LSP and LSP-Zero)."), Range(1e-9, 1.0)]
    public double LearningRate { get; init; } = 3e-6;

    [Description("AdamW β1 (HF TrainingArguments: adam_beta1). Not given in the paper; TorchSharp's and PyTorch's default 0.9."), Range(0.0, 0.999999)]
    public double AdamBeta1 { get; init; } = 0.9;

    [Description("AdamW β2 (adam_beta2). Not given in the paper; TorchSharp's and PyTorch's default 0.999."), Range(0.0, 0.999999)]
    public double AdamBeta2 { get; init; } = 0.999;

    [Description("AdamW ε (adam_epsilon). Not given in the paper; TorchSharp's and PyTorch's default 1e-8."), Range(0.0, 1.0)]
    public double AdamEpsilon { get; init; } = 1e-8;

    [Description("AdamW decoupled weight decay. Not given in the paper; TorchSharp 0.107's default is 0 (PyTorch's AdamW decays 0.01)."), Range(0.0, 1.0)]
    public double WeightDecay { get; init; }

    [Description("α_Ch: weight of the Challenger loss. Not given in the paper; 1 is our default."), Range(0.0, 100.0)]
    public double ChallengerWeight { get; init; } = 1.0;

    [Description("LSP only: weight of the quality self-reward R_Q (0–7). Paper: added as is (1).")]
    [Range(0.0, 100.0)]
    public double QualityWeight { get; init; } = 1.0;

    [Description("Fill the challenger prompt's {task} slot (TinyTasks: the family, round-robin). The paper leaves it empty for open-ended instructions.")]
    public bool UseTaskSlot { get; init; }

    [Description("Queries per task slot and iteration: blocks of this many consecutive queries share a task (the slot round-robin over blocks). 1 = plain round-robin. Used with useTaskSlot."), Range(1, 1024)]
    public int QueriesPerTask { get; init; } = 1;

    [Description("A_Ch's baseline: Mean (the paper: mean Challenger reward over all N queries) or PerTask (a named deviation: the mean over the queries of the same task slot in this iteration, so a slot's difficulty, which the Challenger did not choose, is not credited to it; pair with queriesPerTask ≥ 2).")]
    [JsonConverter(typeof(JsonStringEnumConverter<ChallengerBaseline>))]
    public ChallengerBaseline ChallengerBaseline { get; init; } = ChallengerBaseline.Mean;

    [Description("An invalid query in the Challenger's reward: Zero (the paper: scored like any other; its answers earn nothing, so −V = 0) or Loss (a named deviation: it counts as fully solved, V = 1, so invalidity never pays).")]
    [JsonConverter(typeof(JsonStringEnumConverter<InvalidQuery>))]
    public InvalidQuery InvalidQuery { get; init; } = InvalidQuery.Zero;

    [Description("Reward partial credit (share of correct characters) instead of exact match; a dense reward like the paper's reward model.")]
    public bool PartialCredit { get; init; } = true;

    [Description("Sampling temperature of training rollouts (not given in the paper); log-probs and KL are computed at it too (as TRL's GRPO)."), Range(0.05, 5.0)]
    public double Temperature { get; init; } = 1.0;

    [Description("Evaluation temperature (paper: 0.01)."), Range(0.0, 5.0)]
    public double EvalTemperature { get; init; } = 0.01;

    [Description("Evaluate (win rate against the base model) every this many iterations, and at the end."), Range(1, 1_000_000)]
    public int EvalEvery { get; init; } = 250;

    [Description("Evaluation prompts per split (7 TinyTasks families + easy; 60 → 480 prompts)."), Range(1, 600)]
    public int EvalPerSplit { get; init; } = 60;

    [Description("Seed of the evaluation split (default the fixed one every result is reported on; another draws a second set to recheck a result on)."), Range(0, int.MaxValue)]
    public int EvalSeed { get; init; } = EvalSplits.DefaultSeed;

    [Description("Store the queries and answers of every k-th iteration as samples."), Range(1, 1_000_000)]
    public int SampleEvery { get; init; } = 5;

    [Description("Global gradient-norm clip."), Range(0.001, 1000.0)]
    public double GradClip { get; init; } = 1.0;

    [Description("Save the resumable state (model, optimiser, step) every this many steps, so a run stopped by a crash or a cancel can be resumed; 0 = never."), Range(0, 1_000_000)]
    public int CheckpointEvery { get; init; } = 100;

    [Description("Seed of rollouts and evaluation order."), Range(0, int.MaxValue)]
    public int Seed { get; init; } = 1;

    [Description("CPU threads for TorchSharp (0 = libtorch's default)."), Range(0, 256)]
    public int Threads { get; init; }
}
