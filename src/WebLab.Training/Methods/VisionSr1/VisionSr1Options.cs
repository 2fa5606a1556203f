// Options of Vision-SR1 ("vision-sr1") and its Vision-R1 baseline ("vision-r1"). Defaults are the public code's (EasyR1
// recipe of github.com/zli12321/Vision-SR1; shared/reference/VISION-SR1.md) where it gives them; every deviation is a
// named option and the tiny-cpu preset says which it changes.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.VisionSr1;

/// <summary>How Vision-SR1 turns its two rewards into advantages.</summary>
public enum AdvantageMode { Summed, Separate }

public sealed record VisionSr1Options : TrainingOptions, IMicroBatched
{
    // the public code trains on a visual domain and decays weights 0.01 (TorchSharp's AdamW default is 0)
    public VisionSr1Options() { Domain = TinyScenesDomain.Id; WeightDecay = 0.01; }

    [Description("RL steps (one rollout batch each). The paper's v2: 200."), Range(1, 1_000_000)]
    public override int Steps { get; init; } = 200;

    [Description("Learning rate (public code: 1e-6, constant)."), Range(1e-9, 1.0)]
    public override double LearningRate { get; init; } = 1e-6;

    [Description("Prompts per rollout step (public code: 512)."), Range(1, 4096)]
    public int Prompts { get; init; } = 512;

    [Description("n: responses per prompt, the GRPO group (public code: 8)."), Range(2, 256)]
    public int Answers { get; init; } = 8;

    [Description("Optimiser steps per rollout step, each on an equal share of the prompts (public code: 512 / 128 = 4); π_old is the policy that sampled."), Range(1, 64)]
    public int UpdatesPerRollout { get; init; } = 4;

    [Description("Gradient accumulation (EasyR1: micro_batch_size_per_device_for_update): each optimiser step's sequences are scored and backpropagated in micro-batches of this many, the token-mean taken over the whole step's response tokens, so the result equals one batch; π_old and π_Ref are worked out a micro-batch at a time too. 0: all at once."), Range(0, 4096)]
    public int MicroBatch { get; init; }
    TrainingOptions IMicroBatched.WithMicroBatch(int rows) => this with { MicroBatch = rows };

    [Description("Rollout batch: sequences generated at once (the KV cache holds that many), independent of N·G; 0: all at once. Batch k samples from its own seed (the step's + k·1,000,003), so a run repeats itself, though not the rows one batch of all would draw."), Range(0, 65_536)]
    public int RolloutBatch { get; init; }

    [Description("PPO clip, low side (public code: 0.2)."), Range(0.0, 1.0)]
    public double ClipLow { get; init; } = 0.2;

    [Description("PPO clip, high side (public code: 0.3)."), Range(0.0, 10.0)]
    public double ClipHigh { get; init; } = 0.3;

    [Description("Dual clip for negative advantages (public code: 3.0)."), Range(1.0, 100.0)]
    public double DualClip { get; init; } = 3.0;

    [Description("β: weight of the k3 KL to the frozen start model, in the loss (public code: 0.01)."), Range(0.0, 100.0)]
    public double Beta { get; init; } = 0.01;

    [Description("ε of the group z-score (public code: 1e-6)."), Range(0.0, 1.0)]
    public double AdvantageEpsilon { get; init; } = 1e-6;

    [Description("Rollout temperature, also of the second pass (public code: 1.0)."), Range(0.05, 5.0)]
    public double Temperature { get; init; } = 1.0;

    [Description("Rollout top-p, also of the second pass (public code: 0.99). Log-probs in the loss are the full distribution's, as the public code's actor computes them."), Range(0.01, 1.0)]
    public double TopP { get; init; } = 0.99;

    [Description("Vision-SR1's advantages: Summed (the public code, as the paper's v1 describes it: one z-score of the summed reward 0.9·accuracy + 0.1·format + description) or Separate (the paper's v2, decoupled rewards as we read its text: the answer reward 0.9·accuracy + 0.1·format and the description reward each z-scored in the group, then added). The baselines have one reward and no choice.")]
    [JsonConverter(typeof(JsonStringEnumConverter<AdvantageMode>))]
    public AdvantageMode Advantages { get; init; } = AdvantageMode.Summed;

    [Description("The judge behind eval/lsr: Oracle (default: the domain's exact judge, TinyScenes answering from the objects a description states) or StartModel (the frozen start model with the caption-reasoner prompt: the model and prompt of Vision-SR1's own reward). Both are logged (eval/lsr_oracle, eval/lsr_start_model).")]
    [JsonConverter(typeof(JsonStringEnumConverter<LsrJudge>))]
    public LsrJudge LsrJudge { get; init; } = LsrJudge.Oracle;

    [Description("Longest response in tokens (public code: 2048)."), Range(8, 8192)]
    public int MaxResponseTokens { get; init; } = 2048;

    [Description("Vision-SR1: a response without <description> hands its whole text to the second pass, as the public code does (it leaks the answer); off (default): it earns no description reward, as a missing description is insufficient. Counted in description/missing_frac either way.")]
    public bool WholeResponseWhenMissing { get; init; }

    [Description("Evaluate (accuracy per split, and for see-think answers the Language Shortcut Rate by both judges) every this many steps, and at the end."), Range(1, 1_000_000)]
    public override int EvalEvery { get; init; } = 50;

    [Description("Evaluate the start model at step 0, on the same items as every later evaluation (public code: val_before_train=true): the run's own cold-start baseline, item for item.")]
    public bool EvalBeforeTraining { get; init; } = true;

    [Description("Seed of the evaluation split (default the domain's fixed one)."), Range(0, int.MaxValue)]
    public int EvalSeed { get; init; } = TinyScenesSplits.DefaultEvalSeed;

    [Description("Store every k-th step's first groups as samples."), Range(1, 1_000_000)]
    public int SampleEvery { get; init; } = 5;
}
