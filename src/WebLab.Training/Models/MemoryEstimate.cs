// What an fp32 training step of a Llama-family model holds in memory (the memory benchmark checks it against the measured
// peak; a run's whole plan, with precision, LoRA, frozen networks and the rollouts' cache, is MemoryPlan): fp32 weights, their gradients, AdamW's two moments, frozen copies (the reference
// and the evaluation opponent), and the activations autograd keeps for the backward pass of one batch.
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Models;

public sealed record MemoryEstimate(long Parameters, long Weights, long Gradients, long OptimizerState, long FrozenCopies, long Activations)
{
    public long Total => Weights + Gradients + OptimizerState + FrozenCopies + Activations;

    /// <summary>
    /// One step at <paramref name="batch"/> rows of <paramref name="sequence"/> tokens, fp32 (4 bytes a value):
    /// 4P weights + 4P gradients + 8P AdamW moments + 4P per frozen copy, and per token and layer the saved activations:
    /// the two norms' inputs and outputs (4d), q/k/v and their rotated forms (2d + 4·kv·hd, K/V repeated to every head: 2d),
    /// the attention output and o_proj's (2d), the residual (d), the MLP's gate, up, SiLU and product (4f), plus the
    /// attention probabilities and scores of the math path (2·H·T); then the final norm (2d) and the logits with their
    /// log-softmax (2V).
    /// </summary>
    public static MemoryEstimate Training(LlamaConfig c, int batch, int sequence, int frozenCopies = 0)
    {
        // the fp32, full-weight case of a run's plan (MemoryPlan), with no rollouts
        var plan = MemoryPlan.Of(new PlannedNetwork(c), new PlanSettings(Bf16: false, LoraRank: 0, LoraTargets: [], frozenCopies, [], batch, sequence, 0, 0));
        return new(plan.Parameters, plan.Weights, plan.Gradients, plan.Optimizer, plan.Frozen, plan.Activations);
    }

    public static string Format(long bytes) => bytes >= 1L << 30 ? $"{bytes / (double)(1L << 30):F2} GiB" : $"{bytes / (double)(1L << 20):F0} MiB";
}
