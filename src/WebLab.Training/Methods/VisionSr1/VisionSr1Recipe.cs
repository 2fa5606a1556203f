// Vision-SR1 (arXiv 2508.19652, its public code on EasyR1) and its Vision-R1 baseline. Each step:
//   1. draw N training items; each is asked G times (first pass: image, question, the see-think or chain-of-thought instruction)
//   2. sample the G·N responses at temperature T
//   3. Vision-SR1 only: the second pass, text only and by the same policy: each response's <description> and the question
//      in the caption-reasoner prompt, one sample each at T, reward only (no gradient through it); a response without a
//      description earns no description reward (unless WholeResponseWhenMissing restores the public code's leak)
//   4. reward each response (VisionSr1Reward: 0.9·accuracy + 0.1·format [+ description accuracy]); z-score within groups
//   5. log π_old (the sampling policy) and π_Ref (the frozen start model) once; then UpdatesPerRollout optimiser steps,
//      each on its share of the groups: PPO-clip loss (low/high, dual clip) + β·k3 KL, token-mean; clip the gradient; step
//   6. emit metrics and, every SampleEvery steps, the first groups as samples.
using System.Diagnostics;
using TorchSharp;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.VisionSr1;

/// <param name="selfReward">Vision-SR1's second pass and description reward (format must then be see-think).</param>
/// <param name="format">The first pass's format: see-think (Vision-SR1, and its baseline without the self-reward) or chain of thought (Vision-R1).</param>
public sealed class VisionSr1Recipe(VisionSr1Options o, bool selfReward, ResponseFormat format, IVisualDomain domain, IPolicy policy, IPolicy reference, IRunLog log)
{
    const int SampledGroups = 2;
    ResponseFormat Format => format;

    /// <summary>One response's texts and reward parts.</summary>
    public sealed record Scored(VisualItem Item, int[] Completion, string Text, string? Description, bool Missing, string? SecondPass, VisionSr1Score Score);

    /// <summary>Steps 1–4: the step's groups, sampled and rewarded (no gradient), with their advantages.</summary>
    public (List<Scored> Rows, double[] Advantages, List<Prompt> Prompts) Play(long step)
    {
        var rng = new Random(RolloutSeed.ForRandom(o.Seed, step));   // the same items on a resumed step, in any process
        var items = Enumerable.Range(0, o.Prompts).Select(_ => domain.TrainingItem(rng)).ToList();
        var prompts = items.SelectMany(i => Enumerable.Repeat(domain.FirstPass(i, Format, policy.Processor), o.Answers)).ToList();   // [N·G], group-major
        var tok = domain.Tokenizer;
        var options = new GenerationOptions { MaxNewTokens = o.MaxResponseTokens, Temperature = o.Temperature, TopP = o.TopP, Seed = RolloutSeed.At(o.Seed, step), StopTokens = [tok.EosId] };
        GenerationResult first;
        using (no_grad()) first = BatchGenerator.GenerateInBatches(policy, prompts, options, tok.PadId, o.RolloutBatch);
        var texts = first.Completions.Select(c => tok.Decode(c)).ToList();
        var descriptions = texts.Select(t => VisualPrompts.Description(t, o.WholeResponseWhenMissing)).ToList();
        // step 3: the second pass reads each written description (a missing one earns no description reward and is not
        // asked, unless WholeResponseWhenMissing hands it the whole response, as the public code does)
        var secondTexts = new string?[texts.Count];
        if (selfReward)
        {
            var asked = Enumerable.Range(0, texts.Count).Where(k => !descriptions[k].Missing || o.WholeResponseWhenMissing).ToList();
            var secondPrompts = asked.Select(k => domain.SecondPass(descriptions[k].Description, items[k / o.Answers].Question)).ToList();
            GenerationResult second;
            using (no_grad()) second = BatchGenerator.GenerateInBatches(policy, secondPrompts, options with { Seed = options.Seed + 500_000_009L }, tok.PadId, o.RolloutBatch);
            for (int i = 0; i < asked.Count; i++) secondTexts[asked[i]] = tok.Decode(second.Completions[i]);
        }
        var rows = texts.Select((t, k) =>
        {
            var item = items[k / o.Answers];
            return new Scored(item, first.Completions[k], t, selfReward ? descriptions[k].Description : null, descriptions[k].Missing, secondTexts[k],
                VisionSr1Reward.Score(t, Format, secondTexts[k], item.Answer));
        }).ToList();
        // step 4: the group z-score of the summed reward (the public code), or of each reward apart, added (the paper's v2)
        var advantages = rows.Chunk(o.Answers).SelectMany(g => selfReward && o.Advantages == AdvantageMode.Separate
            ? VisionSr1Advantages.Separate([.. g.Select(r => r.Score.Overall - r.Score.Description)], [.. g.Select(r => r.Score.Description)], o.AdvantageEpsilon)
            : VisionSr1Advantages.ZScore([.. g.Select(r => r.Score.Overall)], o.AdvantageEpsilon)).ToArray();
        return (rows, advantages, prompts);
    }

    /// <summary>Step 5: π_old and π_Ref of every share first (no gradient), then one optimiser step per share. Returns the
    /// last update's stats and its mean entropy. Call inside the step's dispose scope.</summary>
    public (ClippedLossStats Stats, double Entropy) Update(List<Scored> rows, double[] advantages, List<Prompt> prompts, optim.Optimizer optimizer)
    {
        if (o.MicroBatch > 0) return UpdateInMicroBatches(rows, advantages, prompts, optimizer);
        int groupsPerUpdate = (int)Math.Ceiling(o.Prompts / (double)o.UpdatesPerRollout);
        var shares = Enumerable.Range(0, (o.Prompts + groupsPerUpdate - 1) / groupsPerUpdate)
            .Select(u => (From: u * groupsPerUpdate * o.Answers, Count: Math.Min(groupsPerUpdate * o.Answers, rows.Count - u * groupsPerUpdate * o.Answers)))
            .Select(x => (x.From, x.Count, Batch: SequenceLogProbs.Pack(prompts.GetRange(x.From, x.Count), rows.GetRange(x.From, x.Count).Select(r => r.Completion).ToList(),
                domain.Tokenizer.PadId, policy.Device))).ToList();
        // π_old is the policy that sampled: recorded for every share before the first update moves it (with one share it
        // is πθ itself, ratio 1); π_Ref is the frozen start model.
        var old = new List<Tensor?>();
        var refs = new List<Tensor>();
        using (no_grad())
            foreach (var share in shares)
            {
                old.Add(shares.Count == 1 ? null : SequenceLogProbs.Compute(policy, share.Batch, o.Temperature).LogProbs);
                refs.Add(SequenceLogProbs.Compute(reference, share.Batch, o.Temperature).LogProbs);
            }
        var settings = new ClipSettings(o.ClipLow, o.ClipHigh, o.DualClip, o.Beta);
        ClippedLossStats stats = new(0, 0, 0, 0, 1);
        double entropy = 0;
        for (int u = 0; u < shares.Count; u++)
        {
            var (from, count, batch) = shares[u];
            var mine = SequenceLogProbs.Compute(policy, batch, o.Temperature);
            var adv = tensor(advantages[from..(from + count)].Select(a => (float)a).ToArray(), device: policy.Device);
            var (loss, s) = ClippedPolicyLoss.Compute(mine.LogProbs, old[u] ?? mine.LogProbs.detach(), refs[u], batch.CompletionMask, adv, settings);
            OptimizerStep.Apply(optimizer, loss, policy.parameters(), o.GradClip);
            stats = s;
            entropy = (mine.Entropy.sum() / batch.CompletionMask.sum().clamp_min(1)).item<float>();
        }
        return (stats, entropy);
    }

    /// <summary>
    /// Step 5 as <see cref="Update"/>, each share's rows in micro-batches of MicroBatch sequences: π_old and π_Ref a
    /// micro-batch at a time, then per share the token-mean loss accumulated over its micro-batches (each part over the
    /// share's response tokens, so the parts add up to the share's loss), one optimiser step per share.
    /// </summary>
    (ClippedLossStats Stats, double Entropy) UpdateInMicroBatches(List<Scored> rows, double[] advantages, List<Prompt> prompts, optim.Optimizer optimizer)
    {
        int groupsPerUpdate = (int)Math.Ceiling(o.Prompts / (double)o.UpdatesPerRollout);
        var shares = Enumerable.Range(0, (o.Prompts + groupsPerUpdate - 1) / groupsPerUpdate)
            .Select(u => (From: u * groupsPerUpdate * o.Answers, Count: Math.Min(groupsPerUpdate * o.Answers, rows.Count - u * groupsPerUpdate * o.Answers)))
            .Select(x => MicroBatches.Of(x.Count, o.MicroBatch).Select(r => (From: x.From + r.Start, r.Count)).ToList()).ToList();
        PackedSequences Pack((int From, int Count) r) =>
            SequenceLogProbs.Pack(prompts.GetRange(r.From, r.Count), rows.GetRange(r.From, r.Count).Select(x => x.Completion).ToList(), domain.Tokenizer.PadId, policy.Device);
        var old = new Dictionary<int, Tensor>();
        var refs = new Dictionary<int, Tensor>();
        using (no_grad())
            foreach (var r in shares.SelectMany(s => s))
            {
                using var scope = NewDisposeScope();
                using var batch = Pack(r);
                if (shares.Count > 1) old[r.From] = SequenceLogProbs.Compute(policy, batch, o.Temperature).LogProbs.MoveToOuterDisposeScope();
                refs[r.From] = SequenceLogProbs.Compute(reference, batch, o.Temperature).LogProbs.MoveToOuterDisposeScope();
            }
        var settings = new ClipSettings(o.ClipLow, o.ClipHigh, o.DualClip, o.Beta);
        ClippedLossStats stats = new(0, 0, 0, 0, 1);
        double entropy = 0;
        foreach (var share in shares)
        {
            double tokens = Math.Max(1, share.Sum(r => rows.GetRange(r.From, r.Count).Sum(x => x.Completion.Length)));
            double loss = 0, policyPart = 0, kl = 0, clip = 0, ratio = 0, entropySum = 0;
            optimizer.zero_grad();
            foreach (var r in share)
            {
                using var scope = NewDisposeScope();
                using var batch = Pack(r);
                var mine = SequenceLogProbs.Compute(policy, batch, o.Temperature);
                var adv = tensor(advantages[r.From..(r.From + r.Count)].Select(a => (float)a).ToArray(), device: policy.Device);
                var (l, s) = ClippedPolicyLoss.Compute(mine.LogProbs, old.GetValueOrDefault(r.From) ?? mine.LogProbs.detach(), refs[r.From], batch.CompletionMask, adv, settings, tokens);
                l.backward();
                (loss, policyPart, kl, clip, ratio) = (loss + s.Loss, policyPart + s.PolicyLoss, kl + s.Kl, clip + s.ClipFraction, ratio + s.MeanRatio);
                entropySum += mine.Entropy.sum().item<float>();
            }
            OptimizerStep.Step(optimizer, policy.parameters(), o.GradClip);
            stats = new(loss, policyPart, kl, clip, ratio);
            entropy = entropySum / tokens;
        }
        foreach (var t in old.Values.Concat(refs.Values)) t.Dispose();
        return (stats, entropy);
    }

    /// <summary>One whole step (1–6), inside its own dispose scope.</summary>
    public void Step(int step, optim.Optimizer optimizer)
    {
        using var scope = NewDisposeScope();
        var clock = Stopwatch.StartNew();
        var (rows, advantages, prompts) = Play(step);
        var (stats, entropy) = Update(rows, advantages, prompts, optimizer);
        var groups = rows.Chunk(o.Answers).ToList();
        List<MetricPoint> points =
        [
            new(step, MetricNames.RewardOverall, rows.Average(r => r.Score.Overall)),
            new(step, MetricNames.RewardAccuracy, rows.Average(r => r.Score.Accuracy)),
            new(step, MetricNames.RewardFormat, rows.Average(r => r.Score.Format)),
            new(step, MetricNames.Kl, stats.Kl),
            new(step, MetricNames.Loss, stats.Loss),
            new(step, MetricNames.ClipFrac, stats.ClipFraction),
            new(step, MetricNames.Entropy, entropy),
            new(step, MetricNames.LengthResponse, rows.Average(r => r.Completion.Length)),
            new(step, MetricNames.GroupsZeroStdFrac, GroupAdvantages.ZeroStdFraction([.. groups.Select(g => g.Select(r => r.Score.Overall).ToArray())])),
            new(step, MetricNames.TokensPerSecond, rows.Sum(r => r.Completion.Length) / clock.Elapsed.TotalSeconds),
        ];
        if (selfReward) points.Add(new(step, MetricNames.RewardDescription, rows.Average(r => r.Score.Description)));
        if (Format == ResponseFormat.SeeThink) points.Add(new(step, MetricNames.DescriptionMissingFrac, rows.Average(r => r.Missing ? 1.0 : 0.0)));
        log.Metrics(points);
        if (step % o.SampleEvery == 0)
            log.Samples([.. rows.Take(SampledGroups * o.Answers).Select((r, k) => new SampleRecord(step, SampleRole.Solver, r.Item.Question, r.Text,
                r.Score.Overall, r.Score.Accuracy == 1, SampleExtras.Write(new VisualRolloutExtra(k / o.Answers, k % o.Answers, r.Item.Image, r.Item.Answer,
                    r.Description, r.SecondPass, r.Score.Accuracy, r.Score.Format, r.Score.Description, advantages[k]) { Truth = NullIfEmpty(r.Item.Truth) })))]);
    }

    static string? NullIfEmpty(string? s) => string.IsNullOrEmpty(s) ? null : s;
}
