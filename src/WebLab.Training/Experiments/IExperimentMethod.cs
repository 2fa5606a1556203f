// A training method the lab can run (sft, grpo, lsp, lsp-zero, …): its presets, its options and its recipe.
using System.Text.Json.Nodes;

namespace WebLab.Training.Experiments;

/// <summary>Everything a run gets from its host. The method never sees the database or the web.</summary>
public sealed record ExperimentContext(
    long ExperimentId,
    /// <summary>The full, validated options object of the method (its *Options record).</summary>
    object Options,
    /// <summary>Folder for this run's checkpoints and artefacts (created by the host).</summary>
    string RunDirectory,
    /// <summary>"cpu", "cuda", "cuda:0" (already resolved from "auto").</summary>
    string Device,
    /// <summary>Checkpoint folder of the parent experiment for follow-on runs, else null.</summary>
    string? ParentCheckpoint,
    IRunLog Log,
    /// <summary>Saved state of this very run to continue from (after a crash or a cancel), else null: a fresh start.</summary>
    Methods.Common.ResumePoint? Resume = null,
    /// <summary>The host's LLM judge (WebLab:Judge), for runs whose judge option is Llm; null when none is configured.</summary>
    Judges.LlmJudgeSettings? Judge = null);

/// <summary>The run-page tabs a method's runs have beyond Charts, Samples, Config and Checkpoints: fixed by the method, so
/// tabs never appear or move while a run goes.</summary>
[Flags]
public enum ExperimentTabs { None = 0, SelfPlay = 1, Evaluation = 2 }

public interface IExperimentMethod
{
    /// <summary>Method name used in the API and records, e.g. "sft".</summary>
    string Name { get; }
    string Title { get; }
    string Description { get; }
    /// <summary>The options record type; public settable properties with DataAnnotations ranges and [Description].</summary>
    Type OptionsType { get; }
    /// <summary>Named presets as JSON objects of option overrides over the defaults; always has <see cref="PresetNames.TinyCpu"/>.</summary>
    IReadOnlyDictionary<string, JsonObject> Presets { get; }
    /// <summary>Name of the metric shown in experiment lists (e.g. "eval/accuracy").</summary>
    string HeadlineMetric { get; }
    /// <summary>The extra tabs of this method's run page (self-play rounds, win-rate verdicts).</summary>
    ExperimentTabs Tabs => ExperimentTabs.None;
    /// <summary>Total steps of a run with these options (for progress and ETA).</summary>
    long TotalSteps(object options);
    /// <summary>Runs the recipe to the end, or until <paramref name="ct"/> fires at a step boundary.</summary>
    void Run(ExperimentContext context, CancellationToken ct);
}

/// <summary>
/// A method with its options record: presets written as typed records (served as their differences from the defaults, so
/// the JSON shape of presets stays that of <see cref="IExperimentMethod.Presets"/>), and a Run that gets the options typed.
/// </summary>
public interface IExperimentMethod<TOptions> : IExperimentMethod where TOptions : class, new()
{
    /// <summary>Named presets as whole options records; always has <see cref="PresetNames.TinyCpu"/>.</summary>
    IReadOnlyDictionary<string, TOptions> OptionPresets { get; }
    long TotalSteps(TOptions options);
    void Run(ExperimentContext context, TOptions options, CancellationToken ct);

    Type IExperimentMethod.OptionsType => typeof(TOptions);
    IReadOnlyDictionary<string, JsonObject> IExperimentMethod.Presets => MethodOptions.Diff(new TOptions(), OptionPresets);
    long IExperimentMethod.TotalSteps(object options) => TotalSteps((TOptions)options);
    void IExperimentMethod.Run(ExperimentContext context, CancellationToken ct) => Run(context, (TOptions)context.Options, ct);
}
