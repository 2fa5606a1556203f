// The options every RL method shares (self-play, GRPO, and what the run setup, step loop and evaluation read), declared
// once. Where the methods' defaults differ (loss averaging, std scaling, learning rate) the member is abstract and each
// method states its default and why.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Domains;

namespace WebLab.Training.Methods.Common;

public abstract record RlOptions : TrainingOptions
{
    [Description("Iterations (one optimiser step each). Not given in the LSP paper (its samples are shown at 500/1000/1500)."), Range(1, 1_000_000)]
    public override int Steps { get; init; } = 1500;

    [Description("G (TRL: num_generations): answers per prompt or query. Not given in the LSP paper; 8 is our default."), Range(2, 256)]
    public int Answers { get; init; } = 8;

    [Description("β: KL weight towards the frozen start model (LSP paper: 0.05)."), Range(0.0, 100.0)]
    public double Beta { get; init; } = 0.05;

    [Description("KL estimator: K3 (per-token exp(r)−r−1, TRL's; default), Literal (LSP's sequence log-ratio in the loss: no pull to the reference in expectation), AdvantagePenalty (detached log-ratio subtracted from the advantage).")]
    [JsonConverter(typeof(JsonStringEnumConverter<KlEstimator>))]
    public KlEstimator Kl { get; init; } = KlEstimator.K3;

    /// <summary>Sequence or Token averaging of the loss; each method gives its default.</summary>
    public abstract LossAveraging Averaging { get; init; }

    /// <summary>Whether advantages are divided by their group's std; each method gives its default.</summary>
    public abstract bool ScaleByStd { get; init; }

    [Description("Reward partial credit (share of correct characters; numbers aligned from the right) instead of exact match: a dense reward like the paper's reward model.")]
    public bool PartialCredit { get; init; } = true;

    [Description("Sampling temperature of training rollouts (not given in the LSP paper); log-probs, ratio and KL are computed at it too (as TRL's GRPO)."), Range(0.05, 5.0)]
    public double Temperature { get; init; } = 1.0;

    [Description("Evaluation temperature (LSP paper: 0.01)."), Range(0.0, 5.0)]
    public double EvalTemperature { get; init; } = 0.01;

    [Description("Evaluate (win rate against the base model) every this many iterations, and at the end."), Range(1, 1_000_000)]
    public override int EvalEvery { get; init; } = 250;

    [Description("Seed of the evaluation split (default the fixed one every result is reported on; another draws a second set to recheck a result on)."), Range(0, int.MaxValue)]
    public int EvalSeed { get; init; } = EvalSplits.DefaultSeed;

    [Description("Rollout batch: sequences generated at once (the KV cache holds that many), independent of N·G; 0: all at once. Batch k samples from its own seed (the step's + k·1,000,003), so a run repeats itself, though not the rows one batch of all would draw."), Range(0, 65_536)]
    public int RolloutBatch { get; init; }

    [Description("Store every k-th iteration's queries and answers as samples."), Range(1, 1_000_000)]
    public int SampleEvery { get; init; } = 5;
}
