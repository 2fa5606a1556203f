// A run that runs out of memory on its device fails with its plan beside the error: what the lab expected it to hold, the
// device's memory, and the options that would shrink it, so the fix is on the page with the failure (libtorch's own
// message says only how much one allocation wanted). The lab itself lives on: the run's exception is caught like any other.
using WebLab.Training.Models;

namespace WebLab.Training.Runtime;

public static class OutOfMemory
{
    /// <summary>Whether <paramref name="e"/> (or an inner exception) is an allocation failure: libtorch's on CUDA ("CUDA out of
    /// memory") or the CPU ("DefaultCPUAllocator: not enough memory", "can't allocate memory"), or .NET's.</summary>
    public static bool Is(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is OutOfMemoryException || x.Message.Contains("out of memory", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("not enough memory", StringComparison.OrdinalIgnoreCase)
                || x.Message.Contains("can't allocate memory", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    /// <summary>The run's error: the device ran out, the plan's figures and the device's memory, the options that shrink a
    /// run, then libtorch's message.</summary>
    public static string Describe(Exception e, string device, MemoryPlan? plan, long? available)
    {
        var first = e.Message.Split('\n', 2)[0].Trim();
        var planned = plan is null ? "the lab had no plan for it (its model's shape could not be read)"
            : $"its plan was {MemoryPlan.Format(plan.Total)} at the peak ({plan.Breakdown})";
        var has = available is { } a ? $" and the device has {MemoryPlan.Format(a)}" : "";
        return $"out of memory on {device}: {planned}{has}. Options that shrink a run: adapter=Lora, precision=Bf16Mixed, "
            + $"activationCheckpointing=true, a smaller microBatch or rolloutBatch. The error: {first}";
    }
}
