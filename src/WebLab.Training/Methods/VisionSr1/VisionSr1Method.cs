// The public code's three RL arms, one recipe: "vision-sr1" (see-think, the second pass's accuracy rewards the
// description: 2-*_selfReward_train.sh), "seethink-noselfreward" (the same format and first-pass reward with no second
// pass: 3-*_seethink_noSelfReward.sh, the code's LSR baseline) and "vision-r1" (chain of thought: 1-*_visionR1_train.sh).
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.VisionSr1;

/// <summary>Which arm of the public code's comparison a run trains.</summary>
public enum VisionArm { SelfReward, SeeThinkNoSelfReward, ChainOfThought }

public sealed class VisionSr1Method(VisionArm arm) : IExperimentMethod<VisionSr1Options>
{
    public string Name => arm switch { VisionArm.SelfReward => "vision-sr1", VisionArm.SeeThinkNoSelfReward => "seethink-noselfreward", _ => "vision-r1" };

    public string Title => arm switch
    {
        VisionArm.SelfReward => "Vision-SR1 (self-rewarding via reasoning decomposition)",
        VisionArm.SeeThinkNoSelfReward => "See-think without self-reward (Vision-SR1's LSR baseline)",
        _ => "Vision-R1 (baseline: chain of thought, no self-reward)",
    };

    public string Description => arm switch
    {
        VisionArm.SelfReward => "A VLM describes the image, then reasons; the same model, text only, answers from the description, and its accuracy rewards descriptions that suffice (arXiv 2508.19652).",
        VisionArm.SeeThinkNoSelfReward => "Vision-SR1's see-think format and first-pass reward 0.9·accuracy + 0.1·format, with no second pass: the public code's seethink_noSelfReward run, the baseline its shortcut rate is compared with.",
        _ => "GRPO with the chain-of-thought instruction and reward 0.9·accuracy + 0.1·format: Vision-SR1's baseline, otherwise identical.",
    } + " Presets: tiny-cpu (TinyScenes from its cold start, 150 steps of 16 prompts × 8 responses, one update a rollout, lr 1e-4, 48-token responses); paper (the public code's values).";

    public string HeadlineMetric => MetricNames.EvalAccuracy;

    /// <summary>The format the arm answers, trains and is evaluated in.</summary>
    public ResponseFormat Format => arm == VisionArm.ChainOfThought ? ResponseFormat.Think : ResponseFormat.SeeThink;

    public IReadOnlyDictionary<string, VisionSr1Options> OptionPresets { get; } = new Dictionary<string, VisionSr1Options>
    {
        // Deviations, each named: 16 prompts a step (not 512), one optimiser step per rollout (not 4), lr 1e-4 (at 1e-6 a
        // tiny model does not move in minutes), responses up to 48 tokens (TinyScenes' answers are about 30), no weight decay.
        [PresetNames.TinyCpu] = new()
        {
            Steps = 150, Prompts = 16, UpdatesPerRollout = 1, LearningRate = 1e-4, WeightDecay = 0, MaxResponseTokens = 48,
            EvalEvery = 50, EvalPerSplit = 20, SampleEvery = 5,
        },
        ["paper"] = new(),
    };

    public long TotalSteps(VisionSr1Options o) => o.Steps;

    /// <summary>An optimiser step's share of the N·G responses (or a micro-batch of it) in one update; a frozen reference
    /// (also the start model that judges the shortcut rate).</summary>
    public RunMemoryShape MemoryShape(VisionSr1Options o)
    {
        int share = (int)Math.Ceiling(o.Prompts / (double)o.UpdatesPerRollout) * o.Answers;
        return new(o.MicroBatch > 0 ? Math.Min(o.MicroBatch, share) : share, RunMemoryShape.Generated(o.RolloutBatch, o.Prompts * o.Answers), FrozenCopies: 1);
    }

    public DomainCapability Needs(VisionSr1Options o) => DomainCapability.VisualQuestions;

    public void Run(ExperimentContext context, VisionSr1Options o, CancellationToken ct)
    {
        var visual = context.DomainAs<IVisualDomain>();
        using var policy = StartModels.Policy(context, visual);
        using var reference = StartModels.Reference(context, visual, policy);
        var evaluation = new VisionEvaluation(visual, o.EvalPerSplit, o.EvalSeed, Format, o.MaxResponseTokens, context.Log, o.LsrJudge);
        var recipe = new VisionSr1Recipe(o, arm == VisionArm.SelfReward, Format, visual, policy, reference, context.Log);
        context.Log.Info($"{Name}: {o.Prompts} prompts × {o.Answers} responses a step, {o.UpdatesPerRollout} update(s), β {o.Beta}, clip {o.ClipLow}/{o.ClipHigh}/{o.DualClip}, top-p {o.TopP}"
            + (arm == VisionArm.SelfReward ? $", {o.Advantages} advantages" : ""));
        RlLoop.Train(policy, o, (p, step) => evaluation.Run(p, reference, step), Checkpointing.Of(context, o.CheckpointEvery), context.Log, ct, recipe.Step,
            evaluateFirst: o.EvalBeforeTraining);
        FinalCheckpoint.Save(policy, context, o.Steps);
    }
}
