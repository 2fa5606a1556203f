// Options of Language Self-Play (methods "lsp" and "lsp-zero"). Defaults are the paper's values (arXiv 2509.07414,
// v3 Table 1) where it gives them; every deviation is a named option, and the tiny-cpu preset says which it changes.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Methods.Common;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.SelfPlay;

public sealed record SelfPlayOptions : RlOptions, IMicroBatched
{
    [Description("N: Challenger queries per iteration (paper: 8)."), Range(1, 1024)]
    public int Queries { get; init; } = 8;

    [Description("Sequence (sum of token log-probs, the paper's) or Token (mean over each answer's tokens).")]
    [JsonConverter(typeof(JsonStringEnumConverter<LossAveraging>))]
    public override LossAveraging Averaging { get; init; } = LossAveraging.Sequence;

    [Description("Divide advantages by their group's std (a GRPO habit; the paper does not).")]
    public override bool ScaleByStd { get; init; }

    [Description("Learning rate (paper: 3e-6 for LSP and LSP-Zero)."), Range(1e-9, 1.0)]
    public override double LearningRate { get; init; } = 3e-6;

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

    [Description("A Challenger query that is a held-out evaluation item (the domain's rule, the one GRPO's prompts and imported prompt sets obey) never trains the Solver: its group leaves the Solver's update, and challenger/heldout_frac counts it. The paper has no such case; this option says what the Challenger's own update does with it. Drop (default): it leaves the Challenger's update too, as if it had not been written, and the other queries' baseline is taken without it, so an otherwise valid query is neither rewarded nor punished for being held out. Score: the Challenger is scored on it from the Solver's sampled answers like any query (also neutral, but the Challenger then learns from how hard evaluation items are).")]
    [JsonConverter(typeof(JsonStringEnumConverter<HeldOutQuery>))]
    public HeldOutQuery HeldOutQuery { get; init; } = HeldOutQuery.Drop;

    [Description("Gradient accumulation: the update scores and backpropagates the Solver's answers and the Challenger's queries in micro-batches of this many sequences, whose accumulated gradients equal one batch (the paper's Table 1: batch 4 with gradient accumulation); only one micro-batch's activations are held at a time. 0: all at once."), Range(0, 4096)]
    public int MicroBatch { get; init; }
    TrainingOptions IMicroBatched.WithMicroBatch(int rows) => this with { MicroBatch = rows };

    [Description("A named deviation, DAPO's dynamic sampling on the Solver's side: for each of the N queries whose G answers all earn the same reward (no Solver signal), the Challenger writes more in up to this many rounds in all, and queries whose answers' rewards differ train the Solver too. The Challenger's update stays the paper's, on the first N. 1 = off (the paper)."), Range(1, 16)]
    public int SamplingRounds { get; init; } = 1;

}
