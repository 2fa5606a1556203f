// The options every method shares, declared once: where it trains (the domain), how long and how fast (each method
// states its own default and meaning), AdamW's settings (stated, not left to TorchSharp's defaults), clipping,
// evaluation cadence, checkpoints, seed and threads. A method's record derives from this one (an RL method through
// RlOptions) and declares only what is its own; the form lists these shared fields first.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.Common;

public abstract record TrainingOptions
{
    [Description("Domain: its base model, tokenizer, prompts and evaluation (tinytasks is the built-in one)."), DomainOption]
    public string Domain { get; init; } = DomainCatalog.DefaultName;

    /// <summary>Optimiser steps (an RL method's iterations); each method gives the default and description.</summary>
    public abstract int Steps { get; init; }

    /// <summary>Peak learning rate; each method gives the default and description.</summary>
    public abstract double LearningRate { get; init; }

    [Description("AdamW β1 (HF TrainingArguments: adam_beta1). Not given in the papers; TorchSharp's and PyTorch's default 0.9."), Range(0.0, 0.999999)]
    public double AdamBeta1 { get; init; } = 0.9;

    [Description("AdamW β2 (adam_beta2). Not given in the papers; TorchSharp's and PyTorch's default 0.999."), Range(0.0, 0.999999)]
    public double AdamBeta2 { get; init; } = 0.999;

    [Description("AdamW ε (adam_epsilon). Not given in the papers; TorchSharp's and PyTorch's default 1e-8."), Range(0.0, 1.0)]
    public double AdamEpsilon { get; init; } = 1e-8;

    [Description("AdamW decoupled weight decay. Not given in the papers; TorchSharp 0.107's default is 0 (PyTorch's AdamW decays 0.01)."), Range(0.0, 1.0)]
    public double WeightDecay { get; init; }

    [Description("Global gradient-norm clip."), Range(0.001, 1000.0)]
    public double GradClip { get; init; } = 1.0;

    /// <summary>Evaluate every this many steps, and at the end; each method gives the default.</summary>
    public abstract int EvalEvery { get; init; }

    [Description("Evaluation items per split (the domain's splits; TinyTasks: one per family)."), Range(1, 600)]
    public int EvalPerSplit { get; init; } = 60;

    [Description("Save the resumable state (model, optimiser, step) every this many steps, so a run stopped by a crash or a cancel can be resumed; 0 = never."), Range(0, 1_000_000)]
    public int CheckpointEvery { get; init; } = 100;

    [Description("Seed (initial weights or rollouts, data order, evaluation order)."), Range(0, int.MaxValue)]
    public int Seed { get; init; } = 1;

    [Description("CPU threads for TorchSharp (0 = libtorch's default)."), Range(0, 256)]
    public int Threads { get; init; }

    [Description("Fp32, or Bf16Mixed: forward and backward in bf16 over fp32 master weights and fp32 AdamW moments (each weight cast where it is used, as autocast does; the KV cache in bf16), with the frozen networks (the reference, the evaluation opponent) held in bf16. Auto: Fp32 on the CPU, Bf16Mixed on CUDA.")]
    [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Precision>))]
    public Precision Precision { get; init; } = Precision.Auto;

    [Description("Activation checkpointing per decoder layer: a training forward keeps only each layer's input and the backward runs the layer again (torch.utils.checkpoint's reentrant form), so an update holds one layer's activations at a time, for about a third more compute.")]
    public bool ActivationCheckpointing { get; init; }

    [Description("Full: train every weight. Lora: train low-rank adapters on the projections (PEFT's LoRA) with the base frozen; the reference policy is then the same network with its adapters off (no second copy), the resumable state keeps the adapter in PEFT's files, and the final checkpoint is the merged model with the adapter beside it (final/adapter).")]
    [System.Text.Json.Serialization.JsonConverter(typeof(System.Text.Json.Serialization.JsonStringEnumConverter<Adapter>))]
    public Adapter Adapter { get; init; } = Adapter.Full;

    [Description("LoRA: rank r of each adapter (PEFT: r; its default is 8)."), Range(1, 1024)]
    public int LoraRank { get; init; } = 16;

    [Description("LoRA: alpha; an adapter's update is scaled by alpha / r (PEFT: lora_alpha)."), Range(0.0, 100_000.0)]
    public double LoraAlpha { get; init; } = 32;

    [Description("LoRA: dropout on an adapter's input while training (PEFT: lora_dropout)."), Range(0.0, 0.9)]
    public double LoraDropout { get; init; } = 0.05;

    [Description("LoRA: the layers adapted, by name (PEFT: target_modules); every attention and MLP projection by default.")]
    public string[] LoraTargets { get; init; } = [.. Models.Lora.LoraConfig.AllLinear];

    /// <summary>The adapters' settings when <see cref="Adapter"/> is Lora, else null.</summary>
    public Models.Lora.LoraConfig? Lora() => Adapter == Adapter.Lora ? new(LoraRank, LoraAlpha, LoraDropout, LoraTargets) : null;
}

/// <summary>What a run trains: every weight, or LoRA adapters over a frozen base.</summary>
public enum Adapter { Full, Lora }

/// <summary>Options of a method whose update runs in micro-batches (gradient accumulation): the memory plan proposes a
/// smaller one when a launch does not fit.</summary>
public interface IMicroBatched
{
    /// <summary>Sequences a micro-batch (0: the whole update at once).</summary>
    int MicroBatch { get; }
    TrainingOptions WithMicroBatch(int rows);
}
