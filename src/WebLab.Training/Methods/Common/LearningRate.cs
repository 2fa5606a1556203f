// Learning-rate schedules as pure functions of the step.
namespace WebLab.Training.Methods.Common;

public static class LearningRate
{
    /// <summary>
    /// Linear warm-up from 0 over <paramref name="warmup"/> steps, then cosine decay to <paramref name="minRatio"/>·peak at <paramref name="total"/>.
    /// step is 0-based: step 0 of 10 warm-up steps uses peak/10.
    /// </summary>
    public static double WarmupCosine(long step, long total, long warmup, double peak, double minRatio = 0.1)
    {
        if (step < warmup) return peak * (step + 1) / warmup;
        if (total <= warmup) return peak;
        var progress = Math.Min(1.0, (step - warmup) / (double)Math.Max(1, total - warmup - 1));
        return peak * (minRatio + (1 - minRatio) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
