// Options of GRPO with data ("grpo"), the baseline LSP is compared with (TRL's GRPOTrainer names where they exist).
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Methods.Common;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.Grpo;

public sealed record GrpoOptions : RlOptions, IValidatableObject, IMicroBatched
{
    [Description("Prompts per iteration (paper Table 1: 8)."), Range(1, 1024)]
    public int Prompts { get; init; } = 8;

    [Description("Token (TRL's per-token mean) or Sequence averaging.")]
    [JsonConverter(typeof(JsonStringEnumConverter<LossAveraging>))]
    public override LossAveraging Averaging { get; init; } = LossAveraging.Token;

    [Description("TRL: scale_rewards — divide advantages by the group's std.")]
    public override bool ScaleByStd { get; init; } = true;

    [Description("DAPO's dynamic sampling: up to this many rounds of N prompts are drawn, and only groups whose G rewards differ are kept (1 = off: every group, as TRL)."), Range(1, 16)]
    public int SamplingRounds { get; init; } = 1;

    [Description("Gradient accumulation: the update runs in micro-batches of this many sequences, whose accumulated gradients equal one batch of all N·G (TRL: per_device_train_batch_size with gradient_accumulation_steps); only one micro-batch's activations are held at a time. 0: all at once."), Range(0, 4096)]
    public int MicroBatch { get; init; }
    TrainingOptions IMicroBatched.WithMicroBatch(int rows) => this with { MicroBatch = rows };

    [Description("PPO-style updates per batch (TRL: num_iterations); with more than 1 the ratio is clipped at 1 ± epsilon."), Range(1, 16)]
    public int UpdatesPerBatch { get; init; } = 1;

    [Description("TRL: epsilon, the ratio clip (only active with UpdatesPerBatch > 1)."), Range(0.0, 1.0)]
    public double Epsilon { get; init; } = 0.2;

    [Description("Learning rate (paper: 1e-6 for GRPO)."), Range(1e-9, 1.0)]
    public override double LearningRate { get; init; } = 1e-6;

    [Description("Hardest TinyTasks level among generated training prompts (held-out evaluation items excluded); not used with a PromptSet."), Range(1, 6)]
    public int MaxLevel { get; init; } = 6;

    [Description("Easiest TinyTasks level among generated training prompts (1: all levels up to MaxLevel); a curriculum on the levels the Solver half-solves. Not used with a PromptSet."), Range(1, 6)]
    public int MinLevel { get; init; } = 1;

    [Description("Imported training prompts (TinyTasks instructions; a .txt or .jsonl file in the form, --prompts FILE on the command line), drawn in shuffled epochs. Empty: generated prompts, levels 1..MaxLevel. Held-out evaluation items are refused.")]
    public string[] PromptSet { get; init; } = [];

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (MinLevel > MaxLevel)
            yield return new($"MinLevel {MinLevel} is above MaxLevel {MaxLevel}: no level to draw training prompts from", [nameof(MinLevel), nameof(MaxLevel)]);
        var prompts = PromptSet ?? [];
        if (prompts.Length > PromptSetFile.MaxPrompts)
            yield return new($"{prompts.Length:N0} prompts; at most {PromptSetFile.MaxPrompts:N0}", [nameof(PromptSet)]);
        // whether each prompt may be trained on is the domain's rule: GrpoMethod.CheckOnDomain
    }
}
