// Supervised fine-tuning on TinyTasks: the recipe that makes the tiny base model.
// Each step: 1. sample a batch (solver and challenger examples) → 2. masked next-token loss on the targets
// → 3. backward, clip, AdamW step → 4. emit metrics; every EvalEvery steps and at the end: evaluate, log samples.
using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Sft;

public static class SftRecipe
{
    /// <summary>Trains and returns the model (caller disposes). Stops at a step boundary when <paramref name="ct"/> fires.</summary>
    /// <param name="resumption">Where to save resumable state, and the state to continue from (its model replaces <paramref name="initFrom"/>).</param>
    public static LlamaForCausalLM Train(SftOptions o, string device, string? initFrom, IRunLog log, CancellationToken ct, Resumption? resumption = null)
    {
        if (o.Threads > 0) set_num_threads(o.Threads);
        manual_seed(o.Seed);
        var from = resumption?.From?.Directory ?? initFrom;
        var model = from is null
            ? new LlamaForCausalLM(TinyBaseModel.Config(o.Layers, o.Width, o.Heads, o.KvHeads))
            : LlamaLoader.FromHfFolder(from, "cpu");
        model.to(new Device(device));
        model.train();
        log.Info($"sft: {model.parameters().Sum(p => p.numel()):N0} parameters on {device}");
        using var optimizer = optim.AdamW(model.parameters(), lr: o.LearningRate, weight_decay: o.WeightDecay); // after .to(device)
        if (resumption?.From is { } resume)
        {
            TrainingState.LoadOptimizer(resume, optimizer);
            log.Info($"sft: resumed after step {resume.Step}");
        }
        long start = resumption?.StartStep ?? 0;
        var tok = TinyTasksTokenizer.Instance;
        var replay = Stopwatch.StartNew();
        var rng = TrainingState.Replay(o.Seed, start, r => Batch(r, o, tok));   // the batches of steps 1..start, drawn again
        if (start > 0) log.Info($"sft: data stream replayed to step {start} in {replay.Elapsed.TotalSeconds:F2} s");
        var splits = TinyTaskSplits.Evaluation(o.EvalPerSplit);
        var clock = Stopwatch.StartNew();

        for (int step = (int)start; step < o.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            double lr = LearningRate.WarmupCosine(step, o.Steps, o.WarmupSteps, o.LearningRate);
            foreach (var group in optimizer.ParamGroups) group.LearningRate = lr;
            var stepClock = Stopwatch.StartNew();
            var (loss, gradNorm, tokens) = Step(model, optimizer, Batch(rng, o, tok), o.GradClip, device);
            log.Metrics([
                new(step + 1, "train/loss", loss),
                new(step + 1, "train/lr", lr),
                new(step + 1, "train/grad_norm", gradNorm),
                new(step + 1, "train/tokens_per_s", tokens / stepClock.Elapsed.TotalSeconds),
            ]);
            log.Progress(step + 1, o.Steps);
            if ((step + 1) % o.EvalEvery == 0 || step + 1 == o.Steps) Evaluate(model, splits, step + 1, o.Seed, log);
            resumption?.MaybeSave(model, optimizer, step + 1, o.Steps, log);
        }
        log.Info($"sft: {o.Steps - start} steps in {clock.Elapsed.TotalSeconds:F1} s");
        model.eval();
        return model;
    }

    /// <summary>(prompt, target) pairs: Solver examples, or with probability ChallengerShare a Challenger one (family slot half the time).</summary>
    static (int[] Prompt, int[] Target)[] Batch(Random rng, SftOptions o, TinyTasksTokenizer tok) =>
        Enumerable.Range(0, o.BatchSize).Select(_ =>
        {
            var ex = o.TailShare > 0 && o.MaxLevel < TinyTaskLimits.MaxLevel && rng.NextDouble() < o.TailShare
                ? TinyTaskSplits.TrainingSampleAt(rng, TailLevel(rng, o.MaxLevel))
                : TinyTaskSplits.TrainingSample(rng, o.MaxLevel);
            if (rng.NextDouble() >= o.ChallengerShare) return (tok.SolverPrompt(ex.Instruction), tok.SolverTarget(ex.Answer));
            string? family = rng.Next(2) == 0 ? ex.Family.Name() : null;
            return (tok.ChallengerPrompt(family), tok.ChallengerTarget(family, ex.Instruction));
        }).ToArray();

    /// <summary>A level above <paramref name="maxLevel"/>: maxLevel+1 with probability ½, the next with ¼, …, the last takes the rest.</summary>
    public static int TailLevel(Random rng, int maxLevel)
    {
        var level = maxLevel + 1;
        while (level < TinyTaskLimits.MaxLevel && rng.Next(2) == 0) level++;
        return level;
    }

    /// <summary>One optimiser step; returns (mean target-token loss, pre-clip grad norm, target tokens).</summary>
    static (double Loss, double GradNorm, double Tokens) Step(LlamaForCausalLM model, optim.Optimizer optimizer,
        (int[] Prompt, int[] Target)[] batch, double clip, string device)
    {
        using var scope = NewDisposeScope();
        using var packed = SequenceLogProbs.Pack(batch.Select(b => b.Prompt).ToList(), batch.Select(b => b.Target).ToList(), 0, new Device(device));
        var logp = SequenceLogProbs.Compute(model, packed);                       // [B, T-1]
        var tokens = packed.CompletionMask.sum();
        var loss = -logp.LogProbs.sum() / tokens;                                 // mean NLL over target tokens
        optimizer.zero_grad();
        loss.backward();
        var norm = nn.utils.clip_grad_norm_(model.parameters(), clip);
        optimizer.step();
        return (loss.item<float>(), norm, tokens.item<float>());
    }

    /// <summary>Greedy accuracy per split and challenger validity → metrics and samples.</summary>
    public static void Evaluate(LlamaForCausalLM model, IReadOnlyList<TinyTaskSplit> splits, long step, int seed, IRunLog log)
    {
        model.eval();
        var acc = TinyTasksEvaluator.Accuracy(model, splits);
        var challenger = TinyTasksEvaluator.ChallengerSamples(model, 64, seed + step);
        model.train();
        var points = acc.PerSplit.Select(kv => new MetricPoint(step, $"eval/accuracy/{kv.Key}", kv.Value)).ToList();
        points.Add(new(step, "eval/accuracy", acc.Overall));
        points.Add(new(step, "eval/challenger_valid_frac", challenger.Average(c => c.Valid ? 1.0 : 0.0)));
        log.Metrics(points);
        log.Samples(acc.Answers.Select(a => new SampleRecord(step, "eval", a.Item.Instruction, a.Answer, a.Correct ? 1 : 0, a.Correct,
            JsonSerializer.Serialize(new { split = a.Split, level = a.Item.Level, expected = a.Item.Answer }))).ToList());
        log.Samples(challenger.Select(c => new SampleRecord(step, "eval-challenger", "<challenger>", c.Instruction, c.Valid ? 1 : 0, c.Valid)).ToList());
    }
}
