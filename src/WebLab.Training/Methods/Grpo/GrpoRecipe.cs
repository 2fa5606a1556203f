// GRPO with data: prompts from a dataset (the domain's generator, or an imported PromptSet), G answers each, group-relative advantages, KL to the reference.
// Each iteration: 1. draw prompts → 2. sample G answers → 3. rewards (optionally keeping only groups with signal) → 4. advantages → 5. log-probs (old, reference)
// → 6. UpdatesPerBatch × (loss, backward, clip, step) → 7. emit.
using System.Diagnostics;
using System.Text.Json;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Grpo;

/// <param name="data">Imported training prompts; null draws them from <paramref name="domain"/>.</param>
public sealed class GrpoRecipe(GrpoOptions o, ISelfPlayDomain domain, LlamaForCausalLM policy, LlamaForCausalLM reference, IRunLog log,
    PromptSet? data = null)
{
    /// <param name="resumption">Where to save resumable state; when it continues a saved state, <c>policy</c> holds that state's model.</param>
    public void Train(EvaluationLoop evaluation, CancellationToken ct, Resumption? resumption = null)
    {
        if (o.Threads > 0) set_num_threads(o.Threads);
        using var optimizer = optim.AdamW(policy.parameters(), lr: o.LearningRate);
        if (resumption?.From is { } from) TrainingState.LoadOptimizer(from, optimizer);
        long start = resumption?.StartStep ?? 0;
        var rng = TrainingState.Rng(o.Seed, start);
        policy.train();
        for (int step = (int)start + 1; step <= o.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            Iteration(step, rng, optimizer);
            log.Progress(step, o.Steps);
            if (step % o.EvalEvery == 0 || step == o.Steps) evaluation.Run(policy, step);
            resumption?.MaybeSave(policy, optimizer, step, o.Steps, log);
        }
    }

    void Iteration(int step, Random rng, optim.Optimizer optimizer)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        int n = o.Prompts, g = o.Answers;

        // steps 1-3: prompts from the data, G answers each, rewards. With SamplingRounds > 1 (DAPO's dynamic sampling)
        // groups whose G rewards are all equal carry no signal and are dropped; rounds continue until N groups are kept.
        // Should every group of every round be flat, the first group of the last round is kept (its update is the KL alone).
        var kept = new List<(string Prompt, int[][] Completions, bool[] Stopped, string[] Answers, double[] Rewards)>(n);
        var sampled = new List<double[]>();                                   // every group's rewards, for the metrics
        long generated = 0;
        for (int round = 0; round < o.SamplingRounds && kept.Count < n; round++)
        {
            bool last = round == o.SamplingRounds - 1;
            var drawn = Enumerable.Range(0, n).Select(_ => data?.Next(rng) ?? domain.TrainingPrompt(rng)).ToArray();
            var sol = Rollouts.Sample(policy, drawn.SelectMany(p => Enumerable.Repeat(domain.SolverPrompt(p), g)).ToArray(),
                domain.MaxAnswerTokens, o.Temperature, o.Seed * 1_000_003L + step + round * 7_919_000_003L, domain);
            generated += sol.GeneratedTokens;
            for (int i = 0; i < n; i++)
            {
                var group = (i * g)..((i + 1) * g);
                var answersOfGroup = sol.Completions[group].Select(domain.Answer).ToArray();
                var rewards = answersOfGroup.Select(a => domain.Reward.Score(drawn[i], a)).ToArray();
                sampled.Add(rewards);
                if (kept.Count < n && (o.SamplingRounds == 1 || SelfPlayAdvantages.Std(rewards) > 0 || (last && kept.Count == 0)))
                    kept.Add((drawn[i], sol.Completions[group], sol.Stopped[group], answersOfGroup, rewards));
            }
        }
        n = kept.Count;
        var prompts = kept.Select(k => k.Prompt).ToArray();
        var rows = prompts.SelectMany(p => Enumerable.Repeat(domain.SolverPrompt(p), g)).ToArray();
        var completions = kept.SelectMany(k => k.Completions).ToArray();
        var stopped = kept.SelectMany(k => k.Stopped).ToArray();
        var answers = kept.SelectMany(k => k.Answers).ToArray();
        var r = kept.Select(k => k.Rewards).ToArray();

        // step 4: group-relative advantages.
        var adv = r.Select(x => SelfPlayAdvantages.GroupRelative(x, o.ScaleByStd)).ToArray();
        var advantages = tensor(adv.SelectMany(a => a).Select(x => (float)x).ToArray(), device: policy.Device);

        // steps 5-6: μ updates on the same rollouts; the first is on-policy (ratio 1), later ones clip the ratio.
        Tensor? old = null;
        PolicyLossStats stats = new(0, 0, 0);
        double entropy = 0;
        for (int u = 0; u < o.UpdatesPerBatch; u++)
        {
            var scored = Rollouts.Score(policy, reference, rows, completions, domain.Tokenizer.PadId, o.Temperature);
            old ??= scored.Logp.detach();
            if (u == 0) entropy = Rollouts.MeanEntropy(scored);
            var (loss, s) = PolicyLoss.Compute(scored.Logp, scored.RefLogp, scored.Mask, advantages, o.Beta, o.Kl, o.Averaging,
                u == 0 ? null : old, o.Epsilon);
            if (u == 0) stats = s;
            optimizer.zero_grad();
            loss.backward();
            nn.utils.clip_grad_norm_(policy.parameters(), o.GradClip);
            optimizer.step();
        }

        // step 7: metrics (TRL's names where they exist) and samples.
        var flat = sampled.SelectMany(x => x).ToArray();
        log.Metrics([
            new(step, "solver/reward_mean", flat.Average()),
            new(step, "solver/reward_std", SelfPlayAdvantages.Std(flat)),
            new(step, "kl/solver", stats.MeanLogRatio), new(step, "kl/solver_estimator", stats.Kl), new(step, "loss/solver", stats.Loss), new(step, "entropy/solver", entropy),
            new(step, "length/answer", completions.Average(c => c.Length)),
            new(step, "groups/zero_std_frac", SelfPlayAdvantages.ZeroStdFraction([.. sampled])),
            new(step, "groups/kept", n),
            new(step, "tokens_per_s", generated / clock.Elapsed.TotalSeconds),
            .. data is null ? Array.Empty<MetricPoint>() : [new(step, "data/epoch", data.Epoch)],
        ]);
        if (step % o.SampleEvery == 0 || step == 1)
            log.Samples(Enumerable.Range(0, n * g).Select(k => new SampleRecord(step, "solver", prompts[k / g], answers[k], r[k / g][k % g], r[k / g][k % g] >= 1.0,
                JsonSerializer.Serialize(new { query = k / g, answer = k % g, advantage = adv[k / g][k % g], stopped = stopped[k] }))).ToList());
    }
}
