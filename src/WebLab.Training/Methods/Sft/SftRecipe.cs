// Supervised fine-tuning on a domain's examples (TinyTasks: the recipe that makes the tiny base model).
// Each step: 1. sample a batch (the domain's examples: solver and challenger ones) → 2. masked next-token loss on the
// targets → 3. backward, clip, AdamW step → 4. emit metrics; every EvalEvery steps and at the end: the domain's evaluation.
using System.Diagnostics;
using TorchSharp;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Sft;

public static class SftRecipe
{
    /// <summary>Trains and returns the model (caller disposes). Stops at a step boundary when <paramref name="ct"/> fires.</summary>
    /// <param name="checkpointing">Where to save resumable state, and the state to continue from (its model replaces <paramref name="initFrom"/>).</param>
    public static IPolicy Train(SftOptions o, ISupervisedData domain, IEvaluator evaluator, string device, string? initFrom, IRunLog log, CancellationToken ct, Checkpointing? checkpointing = null)
    {
        if (o.Threads > 0) set_num_threads(o.Threads);
        manual_seed(o.Seed);
        var lora = o.Lora();
        // the saved state holds the whole model, or with LoRA the adapter alone (the base is the start model again)
        var from = lora is null ? checkpointing?.From?.Directory ?? initFrom : initFrom;
        var model = from is null
            ? domain.NewModel(new ModelShape(o.Layers, o.Width, o.Heads, o.KvHeads), device)
            : ModelFamilies.Load(from, device);
        if (lora is not null) StartModels.WithAdapters(model, o, lora, device, checkpointing?.From?.Directory);
        Precisions.Trained(model, o.Precision, device, o.ActivationCheckpointing);
        model.train();
        log.Info($"sft: {model.parameters().Sum(p => p.numel()):N0} parameters on {device}");
        using var optimizer = optim.AdamW(model.parameters().Where(p => p.requires_grad), lr: o.LearningRate, beta1: o.AdamBeta1, beta2: o.AdamBeta2, eps: o.AdamEpsilon,
            weight_decay: o.WeightDecay);                                           // after .to(device)
        if (checkpointing?.From is { } resume)
        {
            TrainingState.LoadOptimizer(resume, optimizer);
            log.Info($"sft: resumed after step {resume.Step}");
        }
        long start = checkpointing?.StartStep ?? 0;
        var data = new SupervisedSettings(o.MaxLevel, o.TailShare, o.ChallengerShare, o.Format, o.PublicMix, model.Processor);
        var replay = Stopwatch.StartNew();
        var rng = TrainingState.Replay(o.Seed, start, r => Batch(r, o.BatchSize, domain, data));   // the batches of steps 1..start, drawn again
        if (start > 0) log.Info($"sft: data stream replayed to step {start} in {replay.Elapsed.TotalSeconds:F2} s");
        var clock = Stopwatch.StartNew();

        StepLoop.Run(start, o.Steps, log, ct, step =>
        {
            double lr = LearningRate.WarmupCosine(step - 1, o.Steps, o.WarmupSteps, o.LearningRate);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var stepClock = Stopwatch.StartNew();
            Models.Lora.LoraAdapters.SeedStep(model, Common.RolloutSeed.At(o.Seed, step));   // LoRA's dropout masks (none without adapters)
            var (loss, gradNorm, tokens) = Step(model, optimizer, Batch(rng, o.BatchSize, domain, data), o.GradClip, domain.Tokenizer.PadId, device, o.MicroBatch);
            log.Metrics([
                new(step, MetricNames.TrainLoss, loss),
                new(step, MetricNames.TrainLr, lr),
                new(step, MetricNames.TrainGradNorm, gradNorm),
                new(step, MetricNames.TrainTokensPerSecond, tokens / stepClock.Elapsed.TotalSeconds),
            ]);
        }, step =>
        {
            if (step % o.EvalEvery == 0 || step == o.Steps) Evaluate(model, evaluator, o.EvalPerSplit, step, o.Seed, data, log);
            checkpointing?.MaybeSave(model, optimizer, step, o.Steps, log);
        });
        log.Info($"sft: {o.Steps - start} steps in {clock.Elapsed.TotalSeconds:F1} s");
        model.eval();
        return model;
    }

    static SupervisedExample[] Batch(Random rng, int size, ISupervisedData domain, SupervisedSettings data) =>
        Enumerable.Range(0, size).Select(_ => domain.SupervisedExample(rng, data)).ToArray();

    /// <summary>One optimiser step, in micro-batches of <paramref name="microBatch"/> examples (0: all at once) whose
    /// gradients add up to the whole batch's; returns (mean target-token loss, pre-clip grad norm, target tokens).</summary>
    static (double Loss, double GradNorm, double Tokens) Step(IPolicy model, optim.Optimizer optimizer,
        SupervisedExample[] batch, double clip, int padId, string device, int microBatch = 0)
    {
        var chunks = Common.MicroBatches.Of(batch.Length, microBatch);
        if (chunks.Count == 1)
        {
            using var scope = NewDisposeScope();
            using var packed = SequenceLogProbs.Pack(batch.Select(b => b.Prompt).ToList(), batch.Select(b => b.Target).ToList(), padId, new Device(device));
            var logp = SequenceLogProbs.Compute(model, packed);                   // [B, T-1]
            var tokens = packed.CompletionMask.sum();
            var loss = -logp.LogProbs.sum() / tokens;                             // mean NLL over target tokens
            var norm = OptimizerStep.Apply(optimizer, loss, model.parameters(), clip);
            return (loss.item<float>(), norm, tokens.item<float>());
        }
        // the mean over the whole batch's target tokens: each micro-batch's summed NLL over the batch's token count
        double total = batch.Sum(b => b.Target.Length), lossSum = 0;
        optimizer.zero_grad();
        foreach (var range in chunks)
        {
            using var scope = NewDisposeScope();
            var part = Common.MicroBatches.Slice(batch, range);
            using var packed = SequenceLogProbs.Pack(part.Select(b => b.Prompt).ToList(), part.Select(b => b.Target).ToList(), padId, new Device(device));
            var logp = SequenceLogProbs.Compute(model, packed);                   // [m, T-1]
            using var over = total.ToScalar();
            var loss = -logp.LogProbs.sum() / over;
            loss.backward();
            lossSum += loss.item<float>();
        }
        return (lossSum, OptimizerStep.Step(optimizer, model.parameters(), clip), total);
    }

    /// <summary>The domain's evaluation of the model on its own (eval mode while it runs) → metrics and samples.</summary>
    static void Evaluate(IPolicy model, IEvaluator domain, int perSplit, long step, int seed, SupervisedSettings data, IRunLog log)
    {
        model.eval();
        var report = domain.Evaluate(model, perSplit, step, seed, data);
        model.train();
        log.Metrics(report.Metrics);
        log.Samples(report.Samples);
    }
}
