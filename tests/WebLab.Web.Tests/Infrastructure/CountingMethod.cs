// TEST-ONLY training method: counts steps, sleeps, logs a decreasing train/loss, a sample per step, and at the end a verdict
// and a checkpoint. Real methods (sft, …) come from MethodCatalog.Default; see TestMethods to switch.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Infrastructure;

public sealed record CountingOptions
{
    [Range(1, 1_000_000), Description("Steps to run.")]
    public int Steps { get; set; } = 20;

    [Range(0, 10_000), Description("Sleep per step, in milliseconds.")]
    public int StepDelayMs { get; set; } = 20;

    [Range(1e-9, 1), Description("Scales the fake loss.")]
    public double LearningRate { get; set; } = 0.01;
}

public sealed class CountingMethod : IExperimentMethod<CountingOptions>
{
    public string Name => "counting";
    public string Title => "Counting (test)";
    public string Description => "Counts steps and logs a decreasing loss. Test-only.";
    public IReadOnlyDictionary<string, CountingOptions> OptionPresets { get; } = new Dictionary<string, CountingOptions>
    {
        [PresetNames.TinyCpu] = new() { Steps = 20, StepDelayMs = 20 },
        ["long"] = new() { Steps = 100_000, StepDelayMs = 20 },
    };
    public string HeadlineMetric => "train/loss";

    public long TotalSteps(CountingOptions o) => o.Steps;

    public void Run(ExperimentContext context, CountingOptions o, CancellationToken ct)
    {
        for (var step = 1; step <= o.Steps; step++)
        {
            if (ct.IsCancellationRequested) return;   // step boundary
            Thread.Sleep(o.StepDelayMs);
            context.Log.Metric(step, "train/loss", 1.0 / (1 + o.LearningRate * step));
            context.Log.Samples([new SampleRecord(step, SampleRole.Solver, $"{step}+1=?", $"{step + 1}", Reward: 1, Correct: true)]);
            context.Log.Progress(step, o.Steps);
        }
        var dir = Path.Combine(context.RunDirectory, "final");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), "{}");
        context.Log.Checkpoint(new CheckpointRecord(o.Steps, dir, CheckpointKind.Final));
        context.Log.Verdicts([new VerdictRecord(o.Steps, "test", "1+1=?", "2", "3", true, "exact-match", VerdictOutcome.Win, "trained answer is right")]);
    }
}
