// The update every method ends its step with, written once: zero_grad → backward → clip the global gradient norm → step.
using static TorchSharp.torch;

namespace WebLab.Training.Methods.Common;

public static class OptimizerStep
{
    /// <summary>Applies one optimiser step for <paramref name="loss"/>; returns the gradient norm before clipping.</summary>
    public static double Apply(optim.Optimizer optimizer, Tensor loss, IEnumerable<TorchSharp.Modules.Parameter> parameters, double maxNorm)
    {
        optimizer.zero_grad();
        loss.backward();
        return Step(optimizer, parameters, maxNorm);
    }

    /// <summary>The step after gradients were accumulated (micro-batches): clip the global norm, step; returns the norm before clipping.</summary>
    public static double Step(optim.Optimizer optimizer, IEnumerable<TorchSharp.Modules.Parameter> parameters, double maxNorm)
    {
        var norm = nn.utils.clip_grad_norm_(parameters.Where(p => p.requires_grad), maxNorm);   // what trains (LoRA: the adapters)
        optimizer.step();
        return norm;
    }
}
