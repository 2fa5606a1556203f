// The "sft" experiment method: TinyTasks supervised fine-tuning, as a lab experiment.
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Methods.Sft;

public sealed class SftMethod : IExperimentMethod<SftOptions>
{
    public string Name => "sft";
    public string Title => "Supervised fine-tuning (TinyTasks)";
    public string Description => "Trains a character-level Llama on TinyTasks instructions (solver answers and challenger instructions); this recipe makes the tiny base models. Presets: tiny-cpu (a 2-layer model in seconds), base (the shipped levels 1–2 base, weblab train-base), frontier-base (the tinytasks-frontier testbed's base: levels 1–4, 600 steps).";
    public string HeadlineMetric => MetricNames.EvalAccuracy;

    public IReadOnlyDictionary<string, SftOptions> OptionPresets { get; } = new Dictionary<string, SftOptions>
    {
        // Finishes in well under 2 minutes on 2 cores (about 15 s here): a 2-layer width-64 model, 800 steps.
        [PresetNames.TinyCpu] = new() { Steps = 800, BatchSize = 64, Layers = 2, Width = 64, Heads = 4, KvHeads = 2, WarmupSteps = 50, EvalEvery = 200, EvalPerSplit = 12 },
        // The shipped base model (weblab train-base), with a fixed thread count so it regenerates byte for byte.
        ["base"] = new() { Steps = 5000, Threads = 1 },
        // The frontier testbed's base (Domains/TinyTasks/FrontierBase): levels 1–4, stopped at 600 steps while levels 3–4
        // are half learned, so that 15.7% of its evaluation items are greedy-wrong but right in some of 8 samples (README).
        ["frontier-base"] = new() { Domain = TinyTasksTestbed.Frontier.Id, MaxLevel = 4, Steps = 600, EvalEvery = 600, CheckpointEvery = 0, Threads = 1 },
        // TinyScenes' cold start (Vision-SR1's see-think format): the tiny VLM, 2 layers of width 64 over 9 image tokens;
        // lr 5e-4 (at 2e-3 the decoder learns the answers' prior first and stops attending to the untrained encoder:
        // colour stayed at chance after 4,000 steps; TinyVlmLearningTests).
        ["tinyscenes-base"] = new()
        {
            Domain = TinyScenesDomain.Id, Steps = 3000, BatchSize = 32, LearningRate = 5e-4, Layers = 2, Width = 64, Heads = 4, KvHeads = 2, WarmupSteps = 100,
            EvalEvery = 200, EvalPerSplit = 20, CheckpointEvery = 0, Threads = 1,
        },
    };

    public long TotalSteps(SftOptions o) => o.Steps;

    /// <summary>One batch of examples; no frozen network.</summary>
    public RunMemoryShape MemoryShape(SftOptions o) => new(o.MicroBatch > 0 ? Math.Min(o.MicroBatch, o.BatchSize) : o.BatchSize, o.BatchSize, FrozenCopies: 0);

    /// <summary>Examples to learn from, fresh models over the vocabulary, and the domain's own evaluation.</summary>
    public DomainCapability Needs(SftOptions o) => DomainCapability.SupervisedData | DomainCapability.Evaluator;

    public void Run(ExperimentContext context, SftOptions o, CancellationToken ct)
    {
        using var model = SftRecipe.Train(o, context.DomainAs<ISupervisedData>(), context.DomainAs<IEvaluator>(), context.Device, context.ParentCheckpoint, context.Log, ct, Checkpointing.Of(context, o.CheckpointEvery));
        FinalCheckpoint.Save(model, context, o.Steps);
    }
}
