// The training loop of every RL recipe: AdamW over the policy (its moments restored when resuming), then per step the
// recipe's iteration, evaluation every EvalEvery steps and at the end, and the resumable state every CheckpointEvery.
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Common;

public static class RlLoop
{
    /// <param name="evaluate">The method's evaluation of the policy at a step (win rate against the base, or accuracy and LSR).</param>
    /// <param name="iteration">One step: sample, score, update with the optimiser it is given, log.</param>
    /// <param name="dataDraws">Items drawn from the recipe's data stream so far, recorded with each saved state (null: none).</param>
    /// <param name="evaluateFirst">Evaluate the start model at step 0 before a fresh run's first step (EasyR1's
    /// val_before_train): the same items, judged the same way, as every later evaluation of the run.</param>
    public static void Train(IPolicy policy, TrainingOptions o, Action<IPolicy, long> evaluate, Checkpointing? checkpointing, IRunLog log,
        CancellationToken ct, Action<int, optim.Optimizer> iteration, Func<long?>? dataDraws = null, bool evaluateFirst = false)
    {
        if (o.Threads > 0) set_num_threads(o.Threads);
        using var optimizer = optim.AdamW(policy.parameters().Where(p => p.requires_grad), lr: o.LearningRate, beta1: o.AdamBeta1, beta2: o.AdamBeta2,
            eps: o.AdamEpsilon, weight_decay: o.WeightDecay);              // what trains (LoRA: the adapters); defaults: TorchSharp 0.107's own (0.9, 0.999, 1e-8, 0)
        if (checkpointing?.From is { } from) TrainingState.LoadOptimizer(from, optimizer);
        if (evaluateFirst && (checkpointing?.StartStep ?? 0) == 0) evaluate(policy, 0);
        policy.train();
        StepLoop.Run(checkpointing?.StartStep ?? 0, o.Steps, log, ct, step =>
        {
            Models.Lora.LoraAdapters.SeedStep(policy, RolloutSeed.At(o.Seed, step));   // LoRA's dropout masks (none without adapters)
            iteration(step, optimizer);
        }, step =>
        {
            if (step % o.EvalEvery == 0 || step == o.Steps) evaluate(policy, step);
            checkpointing?.MaybeSave(policy, optimizer, step, o.Steps, log, dataDraws?.Invoke());
        });
    }
}
