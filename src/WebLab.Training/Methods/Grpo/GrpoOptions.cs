// Options of GRPO with data ("grpo"), the baseline LSP is compared with (TRL's GRPOTrainer names where they exist).
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Methods.Common;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.Grpo;

public sealed record GrpoOptions : IValidatableObject, IRlOptions
{
    [Description("Domain: its base model, tokenizer, prompts and evaluation (tinytasks is the built-in one)."), KnownDomain]
    public string Domain { get; init; } = DomainCatalog.DefaultName;

    [Description("Iterations (optimiser steps)."), Range(1, 1_000_000)]
    public int Steps { get; init; } = 1500;

    [Description("Prompts per iteration (paper Table 1: 8)."), Range(1, 1024)]
    public int Prompts { get; init; } = 8;

    [Description("G (TRL: num_generations): answers per prompt. 8 by default."), Range(2, 256)]
    public int Answers { get; init; } = 8;

    [Description("β: KL weight (paper: 0.05)."), Range(0.0, 100.0)]
    public double Beta { get; init; } = 0.05;

    [Description("KL estimator (TRL's GRPO uses K3).")]
    [JsonConverter(typeof(JsonStringEnumConverter<KlEstimator>))]
    public KlEstimator Kl { get; init; } = KlEstimator.K3;

    [Description("Token (TRL's per-token mean) or Sequence averaging.")]
    [JsonConverter(typeof(JsonStringEnumConverter<LossAveraging>))]
    public LossAveraging Averaging { get; init; } = LossAveraging.Token;

    [Description("TRL: scale_rewards — divide advantages by the group's std.")]
    public bool ScaleByStd { get; init; } = true;

    [Description("DAPO's dynamic sampling: up to this many rounds of N prompts are drawn, and only groups whose G rewards differ are kept (1 = off: every group, as TRL)."), Range(1, 16)]
    public int SamplingRounds { get; init; } = 1;

    [Description("PPO-style updates per batch (TRL: num_iterations); with more than 1 the ratio is clipped at 1 ± epsilon."), Range(1, 16)]
    public int UpdatesPerBatch { get; init; } = 1;

    [Description("TRL: epsilon, the ratio clip (only active with UpdatesPerBatch > 1)."), Range(0.0, 1.0)]
    public double Epsilon { get; init; } = 0.2;

    [Description("Learning rate (paper: 1e-6 for GRPO)."), Range(1e-9, 1.0)]
    public double LearningRate { get; init; } = 1e-6;

    [Description("AdamW β1 (HF TrainingArguments: adam_beta1). Not given in the paper; TorchSharp's and PyTorch's default 0.9."), Range(0.0, 0.999999)]
    public double AdamBeta1 { get; init; } = 0.9;

    [Description("AdamW β2 (adam_beta2). Not given in the paper; TorchSharp's and PyTorch's default 0.999."), Range(0.0, 0.999999)]
    public double AdamBeta2 { get; init; } = 0.999;

    [Description("AdamW ε (adam_epsilon). Not given in the paper; TorchSharp's and PyTorch's default 1e-8."), Range(0.0, 1.0)]
    public double AdamEpsilon { get; init; } = 1e-8;

    [Description("AdamW decoupled weight decay. Not given in the paper; TorchSharp 0.107's default is 0 (PyTorch's AdamW decays 0.01)."), Range(0.0, 1.0)]
    public double WeightDecay { get; init; }

    [Description("Hardest TinyTasks level among generated training prompts (held-out evaluation items excluded); not used with a PromptSet."), Range(1, 6)]
    public int MaxLevel { get; init; } = 6;

    [Description("Imported training prompts (TinyTasks instructions; a .txt or .jsonl file in the form, --prompts FILE on the command line), drawn in shuffled epochs. Empty: generated prompts, levels 1..MaxLevel. Held-out evaluation items are refused.")]
    public string[] PromptSet { get; init; } = [];

    [Description("Reward partial credit (share of correct characters) instead of exact match.")]
    public bool PartialCredit { get; init; } = true;

    [Description("Training rollout temperature; log-probs, ratio and KL are computed at it too (as TRL's GRPO)."), Range(0.05, 5.0)]
    public double Temperature { get; init; } = 1.0;

    [Description("Evaluation temperature (paper: 0.01)."), Range(0.0, 5.0)]
    public double EvalTemperature { get; init; } = 0.01;

    [Description("Evaluate every this many iterations, and at the end."), Range(1, 1_000_000)]
    public int EvalEvery { get; init; } = 250;

    [Description("Evaluation prompts per split."), Range(1, 600)]
    public int EvalPerSplit { get; init; } = 60;

    [Description("Seed of the evaluation split (default the fixed one every result is reported on; another draws a second set to recheck a result on)."), Range(0, int.MaxValue)]
    public int EvalSeed { get; init; } = EvalSplits.DefaultSeed;

    [Description("Store every k-th iteration's answers as samples."), Range(1, 1_000_000)]
    public int SampleEvery { get; init; } = 5;

    [Description("Global gradient-norm clip."), Range(0.001, 1000.0)]
    public double GradClip { get; init; } = 1.0;

    [Description("Save the resumable state (model, optimiser, step) every this many steps, so a run stopped by a crash or a cancel can be resumed; 0 = never."), Range(0, 1_000_000)]
    public int CheckpointEvery { get; init; } = 100;

    [Description("Seed."), Range(0, int.MaxValue)]
    public int Seed { get; init; } = 1;

    [Description("CPU threads (0 = libtorch's default)."), Range(0, 256)]
    public int Threads { get; init; }

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        var prompts = PromptSet ?? [];
        if (prompts.Length > PromptSetFile.MaxPrompts)
        {
            yield return new($"{prompts.Length:N0} prompts; at most {PromptSetFile.MaxPrompts:N0}", [nameof(PromptSet)]);
            yield break;
        }
        if (prompts.Length == 0 || !DomainCatalog.Default.TryGet(Domain ?? "", out var domain)) yield break; // [KnownDomain] says why
        var bad = prompts.Select((p, i) => (Index: i, Prompt: p ?? "", Why: domain.CheckTrainingPrompt(p ?? ""))).Where(x => x.Why is not null).ToList();
        if (bad.Count > 0)
            yield return new($"{bad.Count} of {prompts.Length} prompts cannot be trained on: "
                + string.Join("; ", bad.Take(5).Select(b => $"[{b.Index}] '{Shorten(b.Prompt)}': {b.Why}")) + (bad.Count > 5 ? "; …" : ""),
                [nameof(PromptSet)]);
    }

    static string Shorten(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
