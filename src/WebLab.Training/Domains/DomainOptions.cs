// A domain's own options: what a run sets of its domain, beside the method's options (the chat domain's model folders,
// evaluation set, judge and token limits; the built-in domains take none). Each domain declares its record
// (IDomain.OptionsType) with its own validation; a run is the method's options plus these (Experiments/RunSpec).
using System.Text.Json.Serialization;

namespace WebLab.Training.Domains;

/// <summary>The options record of a domain: public init properties with DataAnnotations ranges and [Description], checked
/// by their attributes and, when the record implements IValidatableObject, by its own cross-field rules.</summary>
public abstract record DomainOptions;

/// <summary>The options of a domain that takes none (the built-in ones: their base model and evaluation are their own).</summary>
public sealed record NoDomainOptions : DomainOptions
{
    public static readonly NoDomainOptions Instance = new();
}

/// <summary>What a host hands a domain for one run: the run's domain options, the device of the models the domain loads
/// itself (a reward model), and the host's LLM judge (WebLab:Judge; null when none is configured). <paramref name="FrozenInBf16"/>:
/// hold those frozen networks in bf16 (a bf16-mixed run's), else in fp32.</summary>
public sealed record DomainSetup(DomainOptions Options, string Device = "cpu", Judges.LlmJudgeSettings? LlmJudge = null, bool FrozenInBf16 = false)
{
    [JsonIgnore] public static DomainSetup None { get; } = new(NoDomainOptions.Instance);
}
