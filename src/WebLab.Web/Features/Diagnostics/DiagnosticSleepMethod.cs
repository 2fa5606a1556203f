// Diagnostic aid, off by default (WebLab:EnableDiagnosticMethods=true): a "method" that only sleeps and logs a fake loss.
// It lets the crash test run the real app as a child process before a real training method is in the build. It trains nothing.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Diagnostics;

public sealed record DiagnosticSleepOptions
{
    [Range(1, 1_000_000), Description("Steps to run.")]
    public int Steps { get; set; } = 20;

    [Range(0, 60_000), Description("Sleep per step, in milliseconds.")]
    public int StepDelayMs { get; set; } = 100;
}

public sealed class DiagnosticSleepMethod : IExperimentMethod
{
    public string Name => "diagnostic-sleep";
    public string Title => "Diagnostic: sleep";
    public string Description => "Sleeps each step and logs a made-up loss. For checking the lab itself; trains nothing.";
    public Type OptionsType => typeof(DiagnosticSleepOptions);
    public IReadOnlyDictionary<string, JsonObject> Presets { get; } = new Dictionary<string, JsonObject>
    {
        ["tiny-cpu"] = new() { ["steps"] = 20 },
        ["long"] = new() { ["steps"] = 100_000, ["stepDelayMs"] = 50 },
    };
    public string HeadlineMetric => "train/loss";

    public long TotalSteps(object options) => ((DiagnosticSleepOptions)options).Steps;

    public void Run(ExperimentContext context, CancellationToken ct)
    {
        var o = (DiagnosticSleepOptions)context.Options;
        for (var step = 1; step <= o.Steps && !ct.IsCancellationRequested; step++)
        {
            Thread.Sleep(o.StepDelayMs);
            context.Log.Metric(step, "train/loss", 1.0 / step);
            context.Log.Progress(step, o.Steps);
        }
    }
}
