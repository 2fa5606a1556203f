// Options of the TinyTasks supervised fine-tuning method ("sft"): the recipe that builds the tiny base model.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.Sft;

public sealed record SftOptions
{
    [Description("Domain: its base model, tokenizer, prompts and evaluation (tinytasks is the built-in one)."), KnownDomain]
    public string Domain { get; init; } = DomainCatalog.DefaultName;

    [Description("Optimiser steps."), Range(1, 1_000_000)]
    public int Steps { get; init; } = 1500;

    [Description("Examples per step."), Range(1, 4096)]
    public int BatchSize { get; init; } = 64;

    [Description("Peak AdamW learning rate (warm-up, then cosine to 10%). SFT from scratch of a ~1M model; far too high for RL."), Range(1e-7, 1.0)]
    public double LearningRate { get; init; } = 2e-3;

    [Description("Linear warm-up steps."), Range(0, 100_000)]
    public int WarmupSteps { get; init; } = 100;

    [Description("AdamW decoupled weight decay (TorchSharp 0.107's default is 0; PyTorch's AdamW decays 0.01)."), Range(0.0, 1.0)]
    public double WeightDecay { get; init; } = 0.0;

    [Description("AdamW β1 (HF TrainingArguments: adam_beta1). Not given in the paper; TorchSharp's and PyTorch's default 0.9."), Range(0.0, 0.999999)]
    public double AdamBeta1 { get; init; } = 0.9;

    [Description("AdamW β2 (adam_beta2). Not given in the paper; TorchSharp's and PyTorch's default 0.999."), Range(0.0, 0.999999)]
    public double AdamBeta2 { get; init; } = 0.999;

    [Description("AdamW ε (adam_epsilon). Not given in the paper; TorchSharp's and PyTorch's default 1e-8."), Range(0.0, 1.0)]
    public double AdamEpsilon { get; init; } = 1e-8;

    [Description("Global gradient-norm clip."), Range(0.01, 1000.0)]
    public double GradClip { get; init; } = 1.0;

    [Description("Hardest TinyTasks level in the training data (2 = EASY: words ≤ 3 letters, numbers < 100)."), Range(1, 6)]
    public int MaxLevel { get; init; } = 2;

    [Description("Share of examples drawn from the levels above MaxLevel (level MaxLevel+1 half of them, each next level half the rest; 0 = none)."), Range(0.0, 1.0)]
    public double TailShare { get; init; }

    [Description("Share of examples that teach the Challenger role (write an instruction); the rest teach the Solver."), Range(0.0, 1.0)]
    public double ChallengerShare { get; init; } = 0.25;

    [Description("Evaluate every this many steps (and at the end)."), Range(1, 1_000_000)]
    public int EvalEvery { get; init; } = 500;

    [Description("Evaluation items per split (7 family splits + easy)."), Range(1, 600)]
    public int EvalPerSplit { get; init; } = 60;

    [Description("Save the resumable state (model, optimiser, step) every this many steps, so a run stopped by a crash or a cancel can be resumed; 0 = never."), Range(0, 1_000_000)]
    public int CheckpointEvery { get; init; } = 100;

    [Description("Seed for initial weights and data order."), Range(0, int.MaxValue)]
    public int Seed { get; init; } = 1;

    [Description("Transformer layers (ignored when starting from a parent checkpoint)."), Range(1, 48)]
    public int Layers { get; init; } = 4;

    [Description("Model width d."), Range(8, 4096)]
    public int Width { get; init; } = 128;

    [Description("Attention heads (width must divide by it)."), Range(1, 64)]
    public int Heads { get; init; } = 4;

    [Description("Key/value heads for grouped-query attention (heads must divide by it)."), Range(1, 64)]
    public int KvHeads { get; init; } = 2;

    [Description("CPU threads for TorchSharp (0 = leave libtorch's default)."), Range(0, 256)]
    public int Threads { get; init; }
}
