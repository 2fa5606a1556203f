// The "vision-sr1" and "vision-r1" experiment methods: one recipe, with or without the second pass's self-reward.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.VisionSr1;

public sealed class VisionSr1Method(bool selfReward) : IExperimentMethod<VisionSr1Options>
{
    public string Name => selfReward ? "vision-sr1" : "vision-r1";
    public string Title => selfReward ? "Vision-SR1 (self-rewarding via reasoning decomposition)" : "Vision-R1 (baseline: chain of thought, no self-reward)";
    public string Description => (selfReward
        ? "A VLM describes the image, then reasons; the same model, text only, answers from the description, and its accuracy rewards descriptions that suffice (arXiv 2508.19652)."
        : "GRPO with the chain-of-thought instruction and reward 0.9·accuracy + 0.1·format: Vision-SR1's baseline, otherwise identical.")
        + " Presets: tiny-cpu (3–5 minutes on 2 cores: TinyScenes from its cold start, 150 steps of 16 prompts × 8 responses, one update a rollout, lr 1e-4, 48-token responses); paper (the public code's values).";
    public string HeadlineMetric => MetricNames.EvalAccuracy;

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

    public void Run(ExperimentContext context, VisionSr1Options o, CancellationToken ct)
    {
        var domain = DomainCatalog.Default.Get(o.Domain);
        if (domain is not IVisualDomain visual) throw new NotSupportedException($"{Name} needs a visual domain; '{o.Domain}' is not one (try {Domains.TinyScenes.TinyScenesDomain.Id})");
        using var policy = StartModels.Policy(context, domain);
        using var reference = StartModels.FrozenStart(context, domain);
        var format = selfReward ? ResponseFormat.SeeThink : ResponseFormat.Think;
        var evaluation = new VisionEvaluation(visual, o.EvalPerSplit, o.EvalSeed, format, o.MaxResponseTokens, context.Log);
        var recipe = new VisionSr1Recipe(o, selfReward, visual, policy, reference, context.Log);
        context.Log.Info($"{Name}: {o.Prompts} prompts × {o.Answers} responses a step, {o.UpdatesPerRollout} update(s), β {o.Beta}, clip {o.ClipLow}/{o.ClipHigh}/{o.DualClip}");
        RlLoop.Train(policy, o, (p, step) => evaluation.Run(p, reference, step), Resumption.Of(context, o.CheckpointEvery), context.Log, ct, recipe.Step);
        FinalCheckpoint.Save(policy, context, o.Steps);
    }
}
