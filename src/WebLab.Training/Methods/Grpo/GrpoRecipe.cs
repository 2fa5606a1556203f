// GRPO with data: prompts from a dataset, G answers each, group-relative advantages, KL to the reference.
// Each iteration: 1. draw prompts → 2. sample G answers → 3. rewards → 4. advantages → 5. log-probs (old, reference)
// → 6. UpdatesPerBatch × (loss, backward, clip, step) → 7. emit.
using System.Diagnostics;
using System.Text.Json;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Grpo;

public sealed class GrpoRecipe(GrpoOptions o, ISelfPlayDomain domain, LlamaForCausalLM policy, LlamaForCausalLM reference, IRunLog log)
{
    public void Train(EvaluationLoop evaluation, CancellationToken ct)
    {
        if (o.Threads > 0) set_num_threads(o.Threads);
        using var optimizer = optim.AdamW(policy.parameters(), lr: o.LearningRate);
        var rng = new Random(o.Seed);
        policy.train();
        for (int step = 1; step <= o.Steps; step++)
        {
            ct.ThrowIfCancellationRequested();
            Iteration(step, rng, optimizer);
            log.Progress(step, o.Steps);
            if (step % o.EvalEvery == 0 || step == o.Steps) evaluation.Run(policy, step);
        }
    }

    void Iteration(int step, Random rng, optim.Optimizer optimizer)
    {
        var clock = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        int n = o.Prompts, g = o.Answers;

        // steps 1-2: prompts from the data, G answers each.
        var prompts = Enumerable.Range(0, n).Select(_ => domain.TrainingPrompt(rng)).ToArray();
        var rows = prompts.SelectMany(p => Enumerable.Repeat(domain.SolverPrompt(p), g)).ToArray();
        var sol = Rollouts.Sample(policy, rows, domain.MaxAnswerTokens, o.Temperature, o.Seed * 1_000_003L + step, domain);
        var answers = sol.Completions.Select(domain.Answer).ToArray();

        // steps 3-4: rewards and group-relative advantages.
        var r = Enumerable.Range(0, n).Select(i => Enumerable.Range(0, g).Select(j => domain.Reward.Score(prompts[i], answers[i * g + j])).ToArray()).ToArray();
        var adv = r.Select(x => SelfPlayAdvantages.GroupRelative(x, o.ScaleByStd)).ToArray();
        var advantages = tensor(adv.SelectMany(a => a).Select(x => (float)x).ToArray(), device: policy.Device);

        // steps 5-6: μ updates on the same rollouts; the first is on-policy (ratio 1), later ones clip the ratio.
        Tensor? old = null;
        PolicyLossStats stats = new(0, 0, 0);
        double entropy = 0;
        for (int u = 0; u < o.UpdatesPerBatch; u++)
        {
            var scored = Rollouts.Score(policy, reference, rows, sol.Completions, domain.Tokenizer.PadId);
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
        var flat = r.SelectMany(x => x).ToArray();
        log.Metrics([
            new(step, "solver/reward_mean", flat.Average()),
            new(step, "solver/reward_std", SelfPlayAdvantages.Std(flat)),
            new(step, "kl/solver", stats.MeanLogRatio), new(step, "kl/solver_estimator", stats.Kl), new(step, "loss/solver", stats.Loss), new(step, "entropy/solver", entropy),
            new(step, "length/answer", sol.Completions.Average(c => c.Length)),
            new(step, "groups/zero_std_frac", SelfPlayAdvantages.ZeroStdFraction(r)),
            new(step, "tokens_per_s", sol.GeneratedTokens / clock.Elapsed.TotalSeconds),
        ]);
        if (step % o.SampleEvery == 0 || step == 1)
            log.Samples(Enumerable.Range(0, n * g).Select(k => new SampleRecord(step, "solver", prompts[k / g], answers[k], r[k / g][k % g], r[k / g][k % g] >= 1.0,
                JsonSerializer.Serialize(new { query = k / g, answer = k % g, advantage = adv[k / g][k % g], stopped = sol.Stopped[k] }))).ToList());
    }
}
