// Options of the TinyTasks supervised fine-tuning method ("sft"): the recipe that builds the tiny base model.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Domains;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.Sft;

public sealed record SftOptions : TrainingOptions, IValidatableObject, IMicroBatched
{
    [Description("Optimiser steps."), Range(1, 1_000_000)]
    public override int Steps { get; init; } = 1500;

    [Description("Examples per step."), Range(1, 4096)]
    public int BatchSize { get; init; } = 64;

    [Description("Gradient accumulation: each step runs in micro-batches of this many examples, whose accumulated gradients equal one batch of BatchSize; only one micro-batch's activations are held at a time. 0: all at once."), Range(0, 4096)]
    public int MicroBatch { get; init; }
    TrainingOptions IMicroBatched.WithMicroBatch(int rows) => this with { MicroBatch = rows };

    [Description("Peak AdamW learning rate (warm-up, then cosine to 10%). SFT from scratch of a ~1M model; far too high for RL."), Range(1e-7, 1.0)]
    public override double LearningRate { get; init; } = 2e-3;

    [Description("Linear warm-up steps."), Range(0, 100_000)]
    public int WarmupSteps { get; init; } = 100;

    [Description("Hardest TinyTasks level in the training data (2 = EASY: words ≤ 3 letters, numbers < 100)."), Range(1, 6)]
    public int MaxLevel { get; init; } = 2;

    [Description("Share of examples drawn from the levels above MaxLevel (level MaxLevel+1 half of them, each next level half the rest; 0 = none)."), Range(0.0, 1.0)]
    public double TailShare { get; init; }

    [Description("Share of examples that teach the Challenger role (write an instruction); the rest teach the Solver."), Range(0.0, 1.0)]
    public double ChallengerShare { get; init; } = 0.25;

    [Description("Visual domains: the response format taught and asked for: SeeThink (Vision-SR1's cold start: <description>, <think>, \\boxed{}) or Think (Vision-R1's: <think>, \\boxed{}).")]
    [JsonConverter(typeof(JsonStringEnumConverter<ResponseFormat>))]
    public ResponseFormat Format { get; init; } = ResponseFormat.SeeThink;

    [Description("Visual domains, see-think format: teach the public cold start's three responses in equal thirds (Vision-SR1-Cold-Start.yaml: see-think, plain chain of thought, the caption reasoner), so every RL arm starts from a format it was taught. Off: see-think two thirds, the caption reasoner one third (the lab's first cold start).")]
    public bool PublicMix { get; init; } = true;

    [Description("Evaluate every this many steps (and at the end)."), Range(1, 1_000_000)]
    public override int EvalEvery { get; init; } = 500;

    [Description("Transformer layers (ignored when starting from a parent checkpoint)."), Range(1, 48)]
    public int Layers { get; init; } = 4;

    [Description("Model width d."), Range(8, 4096)]
    public int Width { get; init; } = 128;

    [Description("Attention heads (width must divide by it)."), Range(1, 64)]
    public int Heads { get; init; } = 4;

    [Description("Key/value heads for grouped-query attention (heads must divide by it)."), Range(1, 64)]
    public int KvHeads { get; init; } = 2;

    /// <summary>The model shape's cross-field rules, checked before launch (each names both fields): width a multiple of
    /// heads, heads of KV heads, and an even head size for rotary embeddings.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Heads < 1 || KvHeads < 1 || Width < 1) yield break;                // the ranges say why
        if (Width % Heads != 0)
            yield return new($"width {Width} is not a multiple of heads {Heads} (each head gets width / heads)", [nameof(Width), nameof(Heads)]);
        else if (Width / Heads % 2 != 0)
            yield return new($"head size width / heads = {Width / Heads} must be even for rotary embeddings", [nameof(Width), nameof(Heads)]);
        if (Heads % KvHeads != 0)
            yield return new($"heads {Heads} is not a multiple of kvHeads {KvHeads} (each KV head serves heads / kvHeads query heads)", [nameof(Heads), nameof(KvHeads)]);
    }
}
