// The step loop every recipe runs: steps start+1..total, cancellation checked before each (a cancel stops at a step
// boundary), progress reported after each, then what follows a step (evaluation, the resumable state).
using WebLab.Training.Experiments;

namespace WebLab.Training.Methods.Common;

public static class StepLoop
{
    /// <param name="start">The last step already done (0 for a fresh run, the saved step when resuming).</param>
    /// <param name="step">The step itself (1-based), which logs its own metrics.</param>
    /// <param name="after">Run after the step's progress is reported.</param>
    public static void Run(long start, long total, IRunLog log, CancellationToken ct, Action<int> step, Action<int> after)
    {
        for (int s = (int)start + 1; s <= total; s++)
        {
            ct.ThrowIfCancellationRequested();
            step(s);
            log.Progress(s, total);
            after(s);
        }
    }
}
