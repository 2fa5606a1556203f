// Vision-SR1 (arXiv 2508.19652, its public code on EasyR1) and its Vision-R1 baseline. Each step:
//   1. draw N training items; each is asked G times (first pass: image, question, the see-think or chain-of-thought instruction)
//   2. sample the G·N responses at temperature T
//   3. Vision-SR1 only: the second pass, text only and by the same policy: each response's <description> and the question
//      in the caption-reasoner prompt, one sample each at T, reward only (no gradient through it)
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

public sealed class VisionSr1Recipe(VisionSr1Options o, bool selfReward, IVisualDomain domain, IPolicy policy, IPolicy reference, IRunLog log)
{
    const int SampledGroups = 2;
    ResponseFormat Format => selfReward ? ResponseFormat.SeeThink : ResponseFormat.Think;

    /// <summary>One response's texts and reward parts.</summary>
    public sealed record Scored(VisualItem Item, int[] Completion, string Text, string? Description, bool Missing, string? SecondPass, VisionSr1Score Score);

    /// <summary>Steps 1–4: the step's groups, sampled and rewarded (no gradient), with their advantages.</summary>
    public (List<Scored> Rows, double[] Advantages, List<Prompt> Prompts) Play(long step)
    {
        var rng = new Random(HashCode.Combine(o.Seed, step));                                  // the same items on a resumed step
        var items = Enumerable.Range(0, o.Prompts).Select(_ => domain.TrainingItem(rng)).ToList();
        var prompts = items.SelectMany(i => Enumerable.Repeat(domain.FirstPass(i, Format), o.Answers)).ToList();   // [N·G], group-major
        var tok = domain.Tokenizer;
        var options = new GenerationOptions { MaxNewTokens = o.MaxResponseTokens, Temperature = o.Temperature, Seed = o.Seed * 1_000_003L + step, StopTokens = [tok.EosId] };
        GenerationResult first, second = new([], []);
        using (no_grad()) first = BatchGenerator.Generate(policy, prompts, options, tok.PadId);
        var texts = first.Completions.Select(c => tok.Decode(c)).ToList();
        var descriptions = texts.Select(t => VisionSr1Prompts.Description(t, o.WholeResponseWhenMissing)).ToList();
        if (selfReward)
        {
            var secondPrompts = descriptions.Select((d, k) => domain.SecondPass(d.Description, items[k / o.Answers].Question)).ToList();
            using (no_grad()) second = BatchGenerator.Generate(policy, secondPrompts, options with { Seed = options.Seed + 500_000_009L }, tok.PadId);
        }
        var rows = texts.Select((t, k) =>
        {
            var secondText = selfReward ? tok.Decode(second.Completions[k]) : null;
            var item = items[k / o.Answers];
            return new Scored(item, first.Completions[k], t, selfReward ? descriptions[k].Description : null, descriptions[k].Missing, secondText,
                VisionSr1Reward.Score(t, secondText, item.Answer));
        }).ToList();
        var advantages = rows.Chunk(o.Answers).SelectMany(g => VisionSr1Advantages.ZScore(g.Select(r => r.Score.Overall).ToList(), o.AdvantageEpsilon)).ToArray();
        return (rows, advantages, prompts);
    }

    /// <summary>Step 5: π_old and π_Ref of every share first (no gradient), then one optimiser step per share. Returns the
    /// last update's stats and its mean entropy. Call inside the step's dispose scope.</summary>
    public (ClippedLossStats Stats, double Entropy) Update(List<Scored> rows, double[] advantages, List<Prompt> prompts, optim.Optimizer optimizer)
    {
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
        if (selfReward)
        {
            points.Add(new(step, MetricNames.RewardDescription, rows.Average(r => r.Score.Description)));
            points.Add(new(step, MetricNames.DescriptionMissingFrac, rows.Average(r => r.Missing ? 1.0 : 0.0)));
        }
        log.Metrics(points);
        if (step % o.SampleEvery == 0)
            log.Samples([.. rows.Take(SampledGroups * o.Answers).Select((r, k) => new SampleRecord(step, SampleRoles.Solver, r.Item.Question, r.Text,
                r.Score.Overall, r.Score.Accuracy == 1, SampleExtras.Write(new VisualRolloutExtra(k / o.Answers, k % o.Answers, r.Item.Image, r.Item.Answer,
                    r.Description, r.SecondPass, r.Score.Accuracy, r.Score.Format, r.Score.Description, advantages[k]))))]);
    }
}
