// The typed extras of each sample role (SampleRecord.ExtraJson), written by the recipes and read back by hosts through
// one JsonSerializerOptions. Each carries its own type tag ("type": "solver", …), so a host reads a sample's extras by
// what they are, not by trying one record after another. Field names are the stored ones (quality_value keeps its
// original snake case). Rows written before the tags are read by their role (SampleExtras.Of).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WebLab.Training.Experiments;

/// <summary>Any sample's extras; the "type" tag names the record.</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = SampleExtras.TypeTag, IgnoreUnrecognizedTypeDiscriminators = true)]
[JsonDerivedType(typeof(ChallengerExtra), "challenger")]
[JsonDerivedType(typeof(SolverExtra), "solver")]
[JsonDerivedType(typeof(EvalExtra), "eval")]
[JsonDerivedType(typeof(VisualEvalExtra), "visual-eval")]
[JsonDerivedType(typeof(VisualRolloutExtra), "visual-rollout")]
public abstract record SampleExtra;

/// <summary>A <see cref="SampleRole.Challenger"/> sample: query i of the step, its task slot and category, V(q_i),
/// V_Q(q_i) (0 for LSP-Zero) and A_Ch(i).</summary>
/// <remarks><see cref="Refill"/>: a query of a later sampling round (SamplingRounds > 1) that trained the Solver only.
/// <see cref="HeldOut"/>: a held-out evaluation item, which the Solver never trains on (and, under the default
/// heldOutQuery Drop, neither does the Challenger: its advantage is then 0).</remarks>
public sealed record ChallengerExtra(int Query, string? Task, string? Category, double Value,
    [property: JsonPropertyName("quality_value")] double? QualityValue, double Advantage) : SampleExtra
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? Refill { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? HeldOut { get; init; }
}

/// <summary>A <see cref="SampleRole.Solver"/> sample: answer j to query i of the step, its quality R_Q (LSP only; left out
/// otherwise), its advantage, whether it ended with the stop token and the domain's reference answer (left out when none).
/// <see cref="HeldOut"/>: an answer to a held-out evaluation item, sampled but never trained on (advantage 0).</summary>
public sealed record SolverExtra(int Query, int Answer,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? Quality, double Advantage, bool Stopped,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Expected = null) : SampleExtra
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? HeldOut { get; init; }
}

/// <summary>An <see cref="SampleRole.Eval"/> sample: its split, difficulty level and the expected answer.</summary>
public sealed record EvalExtra(string Split, int Level, string Expected) : SampleExtra;

/// <summary>An evaluation sample of a visual domain: its split, the expected answer, the image's source (a
/// "tinyscenes:…" URI the lab draws again), the description the model wrote (null when it wrote none) and the ground truth;
/// for see-think answers, the start-model judge's answer from the description, each judge's sufficiency verdict (the
/// domain's exact oracle, where it has one, and the start model) and whether the answer was a language shortcut by the
/// run's LSR judge.</summary>
public sealed record VisualEvalExtra(string Split, string Expected, string Image, string? Description, string Truth,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JudgeAnswer = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Shortcut = null) : SampleExtra
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? OracleSufficient { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public bool? StartModelSufficient { get; init; }
}

/// <summary>A vision-sr1 / vision-r1 training sample: group i, answer j, the image, the expected answer, the description it
/// wrote, the second pass's answer (vision-sr1) and each reward part.</summary>
public sealed record VisualRolloutExtra(int Group, int Answer, string Image, string Expected, string? Description, string? SecondPass,
    double Accuracy, double Format, double DescriptionReward, double Advantage) : SampleExtra
{
    /// <summary>The scene's ground-truth description, where the domain has one (records written before it have none).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Truth { get; init; }
}

public static class SampleExtras
{
    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    public const string TypeTag = "type";

    /// <summary>The extras as stored, led by their type tag.</summary>
    public static string Write(SampleExtra extra) => JsonSerializer.Serialize(extra, Json);

    /// <summary>
    /// A sample's extras as the record they are: by their type tag, or, for rows written before the tags, by the sample's
    /// role (a solver row naming an image is a vision rollout); null when there are none or they are malformed.
    /// </summary>
    public static SampleExtra? Of(string role, string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);                       // parsed once, read as whichever record it is
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty(TypeTag, out _)) return root.Deserialize<SampleExtra>(Json);
            bool image = root.TryGetProperty("image", out _);
            return role switch
            {
                SampleRoles.Challenger => root.Deserialize<ChallengerExtra>(Json),
                SampleRoles.Solver => image ? root.Deserialize<VisualRolloutExtra>(Json) : root.Deserialize<SolverExtra>(Json),
                SampleRoles.Eval => image ? root.Deserialize<VisualEvalExtra>(Json) : root.Deserialize<EvalExtra>(Json),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or NotSupportedException) { return null; }
    }

    /// <summary>The reference answer a sample was scored against: every role that has one stores it as "expected" (null when none).</summary>
    public static string? Expected(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("expected", out var e)
                && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>The extras of a sample, or null when it has none or they are not this role's (malformed, or another shape).</summary>
    public static T? Read<T>(string? json) where T : class
    {
        if (string.IsNullOrWhiteSpace(json)) return null;
        try { return JsonSerializer.Deserialize<T>(json, Json); }
        catch (JsonException) { return null; }
    }
}
