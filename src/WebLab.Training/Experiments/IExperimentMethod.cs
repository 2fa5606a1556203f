// A training method the lab can run (sft, grpo, lsp, lsp-zero, …): its presets, its options and its recipe.
using System.Text.Json.Nodes;
using WebLab.Training.Domains;

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
    Methods.Common.SavedState? Resume = null,
    /// <summary>The host's LLM judge (WebLab:Judge), for runs whose judge option is Llm; null when none is configured.</summary>
    Judges.LlmJudgeSettings? Judge = null,
    /// <summary>The run's domain, looked up by the host in its catalog and checked against the method's needs; null for a
    /// method with no domain option.</summary>
    Domains.IDomain? Domain = null)
{
    /// <summary>The run's domain as the view <typeparamref name="TView"/> (the host checked the method's needs before the run was queued).</summary>
    public TView DomainAs<TView>() where TView : class, Domains.IDomain =>
        (Domain ?? throw new InvalidOperationException("the host gave this run no domain")).As<TView>();
}

/// <summary>What a method's runs record beyond metrics, samples and checkpoints, known before a run starts (a host
/// shows these records, e.g. as tabs, from the first moment and never moves them while a run goes).</summary>
[Flags]
public enum RunRecords { None = 0, ChallengerRounds = 1, Verdicts = 2 }

public interface IExperimentMethod
{
    /// <summary>Method name used in the API and records, e.g. "sft".</summary>
    string Name { get; }
    string Title { get; }
    string Description { get; }
    /// <summary>The options record type; public settable properties with DataAnnotations ranges and [Description].</summary>
    Type OptionsType { get; }
    /// <summary>Named presets as JSON objects of option overrides over the defaults (what the API and the form show);
    /// always has <see cref="PresetNames.TinyCpu"/>.</summary>
    IReadOnlyDictionary<string, JsonObject> Presets { get; }
    /// <summary>The preset named <paramref name="name"/> as a whole options record, or null when there is none.</summary>
    object? Preset(string name);
    /// <summary>Name of the metric shown in experiment lists (e.g. "eval/accuracy").</summary>
    string HeadlineMetric { get; }
    /// <summary>What this method's runs record beyond metrics and samples: the Challenger's rounds, win-rate verdicts.</summary>
    RunRecords Records => RunRecords.None;
    /// <summary>Total steps of a run with these options (for progress and ETA).</summary>
    long TotalSteps(object options);
    /// <summary>The domain views a run with these options needs (none: the method reads no domain).</summary>
    Domains.DomainCapability Needs(object options) => Domains.DomainCapability.None;
    /// <summary>What a run needs whatever its options (a form offers the domains that give it): the defaults' needs, unless
    /// the method says less (grpo on a domain without prompts of its own, given an imported set).</summary>
    Domains.DomainCapability LeastNeeds => Needs(DefaultOptions());
    /// <summary>The options record with every default.</summary>
    object DefaultOptions() => Activator.CreateInstance(OptionsType)!;
    /// <summary>Rules between these options and the run's domain (an imported prompt set against its held-out items);
    /// checked by the host with the rest, before anything is queued.</summary>
    IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> CheckOnDomain(object options, Domains.IDomain domain) => [];
    /// <summary>Runs the recipe to the end, or until <paramref name="ct"/> fires at a step boundary.</summary>
    void Run(ExperimentContext context, CancellationToken ct);
    /// <summary>What a run of these options holds beside its policy, for the memory plan (Methods/Common/RunPlans).</summary>
    RunMemoryShape MemoryShape(object options) => RunMemoryShape.Default;
}

/// <summary>A run's memory-relevant shape: sequences in one update, sequences generated at once, and the frozen copies of
/// the policy it holds with full-weight training (a reference, an evaluation opponent; a LoRA run shares the policy).
/// <paramref name="ChallengerRows"/>: self-play's Challenger rows in the update (the domain's Challenger prompt and a
/// query, longer than an answer's row), held beside the <paramref name="Rows"/>, or, when <paramref name="MicroBatched"/>,
/// scored in micro-batches of their own.</summary>
public sealed record RunMemoryShape(int Rows, int RolloutRows, int FrozenCopies, int ChallengerRows = 0, bool MicroBatched = false)
{
    public static readonly RunMemoryShape Default = new(8, 8, 0);

    /// <summary>Sequences generated at once: the rollout batch when set (0: all <paramref name="all"/>).</summary>
    public static int Generated(int rolloutBatch, int all) => rolloutBatch > 0 ? Math.Min(rolloutBatch, all) : all;
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
    /// <summary>The domain views a run with these options needs.</summary>
    Domains.DomainCapability Needs(TOptions options) => Domains.DomainCapability.None;
    IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> CheckOnDomain(TOptions options, Domains.IDomain domain) => [];
    RunMemoryShape MemoryShape(TOptions options) => RunMemoryShape.Default;
    RunMemoryShape IExperimentMethod.MemoryShape(object options) => MemoryShape((TOptions)options);

    Type IExperimentMethod.OptionsType => typeof(TOptions);
    IReadOnlyDictionary<string, JsonObject> IExperimentMethod.Presets => MethodOptions.PresetDiffs(this, OptionPresets);
    object? IExperimentMethod.Preset(string name) => OptionPresets.TryGetValue(name, out var p) ? p : null;
    long IExperimentMethod.TotalSteps(object options) => TotalSteps((TOptions)options);
    Domains.DomainCapability IExperimentMethod.Needs(object options) => Needs((TOptions)options);
    IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> IExperimentMethod.CheckOnDomain(object options, Domains.IDomain domain) =>
        CheckOnDomain((TOptions)options, domain);
    void IExperimentMethod.Run(ExperimentContext context, CancellationToken ct) => Run(context, (TOptions)context.Options, ct);
}
