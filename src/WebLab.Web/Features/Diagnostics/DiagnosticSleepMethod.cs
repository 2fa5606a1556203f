// Diagnostic aid, off by default (WebLab:EnableDiagnosticMethods=true): a "method" that only sleeps and logs a fake loss.
// It lets the crash test run the real app as a child process before a real training method is in the build. It trains nothing.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Diagnostics;

public sealed record DiagnosticSleepOptions
{
    [Range(1, 1_000_000), Description("Steps to run.")]
    public int Steps { get; set; } = 20;

    [Range(0, 60_000), Description("Sleep per step, in milliseconds.")]
    public int StepDelayMs { get; set; } = 100;
}

public sealed class DiagnosticSleepMethod : IExperimentMethod<DiagnosticSleepOptions>
{
    public string Name => "diagnostic-sleep";
    public string Title => "Diagnostic: sleep";
    public string Description => "Sleeps each step and logs a made-up loss. For checking the lab itself; trains nothing.";
    public IReadOnlyDictionary<string, DiagnosticSleepOptions> OptionPresets { get; } = new Dictionary<string, DiagnosticSleepOptions>
    {
        [PresetNames.TinyCpu] = new() { Steps = 20 },
        ["long"] = new() { Steps = 100_000, StepDelayMs = 50 },
    };
    public string HeadlineMetric => "train/loss";

    public long TotalSteps(DiagnosticSleepOptions o) => o.Steps;

    public void Run(ExperimentContext context, DiagnosticSleepOptions o, CancellationToken ct)
    {
        for (var step = 1; step <= o.Steps && !ct.IsCancellationRequested; step++)
        {
            Thread.Sleep(o.StepDelayMs);
            context.Log.Metric(step, "train/loss", 1.0 / step);
            context.Log.Progress(step, o.Steps);
        }
    }
}
