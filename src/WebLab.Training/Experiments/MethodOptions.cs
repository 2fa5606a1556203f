// Options records read and checked with clear messages (the wrong type, a range, a cross-field rule), for the method's
// record and the domain's alike; RunSpec builds a run from both.
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebLab.Training.Experiments;

/// <summary>Bad options: one message per field, keyed by the JSON field name.</summary>
public sealed class OptionsValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("invalid options: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;
}

public static class MethodOptions
{
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>The method's options of <see cref="RunSpec.Build"/> (defaults ← preset ← overrides, every check), without
    /// the domain's. Throws <see cref="OptionsValidationException"/>.</summary>
    public static object Build(IExperimentMethod method, string? preset, JsonObject? overrides, DomainCatalog? domains = null) =>
        RunSpec.Build(method, preset, overrides, domains).Options;

    /// <summary>An options record of <paramref name="optionsType"/> read from <paramref name="json"/>; a value of the wrong
    /// type or a field the record lacks goes into <paramref name="errors"/> (then null), described as "not an option
    /// <paramref name="owner"/>".</summary>
    public static object? Deserialize(Type optionsType, JsonObject json, Dictionary<string, string[]> errors, string owner)
    {
        var text = json.ToJsonString();
        try
        {
            return JsonSerializer.Deserialize(text, optionsType, Json) ?? throw new JsonException("options are null");
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) ? "options" : e.Path.TrimStart('$', '.');
            errors[field] = [Explain(optionsType, field, text, e, owner)];
            return null;
        }
    }

    /// <summary>
    /// A value of the wrong type or size in words, never the serializer's message ("The JSON value could not be
    /// converted to System.Int32. Path: $.steps | LineNumber: …"): what the option takes, with its range, and what came.
    /// </summary>
    static string Explain(Type optionsType, string field, string json, JsonException e, string owner)
    {
        var property = optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name) == field);
        if (property is null)
            return e.Message.Contains("could not be mapped", StringComparison.Ordinal) ? $"'{field}' is not an option {owner}" : $"malformed value ({e.Message})";
        string? given = null;
        try { given = JsonNode.Parse(json)?[field]?.ToJsonString(); } catch (JsonException) { }
        if (given is { Length: > 60 }) given = given[..57] + "…";
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var range = property.GetCustomAttribute<System.ComponentModel.DataAnnotations.RangeAttribute>();
        string Bounds() => range is null ? "" : $" from {Number(range.Minimum)} to {Number(range.Maximum)}";
        var expected = type == typeof(int) || type == typeof(long) ? $"a whole number{Bounds()}"
            : type == typeof(double) || type == typeof(float) ? $"a number{Bounds()}"
            : type == typeof(bool) ? "true or false"
            : type.IsEnum ? $"one of {string.Join(", ", Enum.GetNames(type))}"
            : type == typeof(string) ? "text"
            : type.IsArray ? "a list" : type.Name;
        return given is null ? $"expected {expected}" : $"expected {expected}; got {given}";
    }

    static string Shown(object? value) => value switch
    {
        null => "nothing",
        double d => d.ToString("G6", System.Globalization.CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>A bound as people read it: 1,000,000; 1e-9; 0.5.</summary>
    static string Number(object bound)
    {
        var d = Convert.ToDouble(bound, System.Globalization.CultureInfo.InvariantCulture);
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return d == Math.Floor(d) && Math.Abs(d) < 1e15 ? d.ToString("N0", inv) : Math.Abs(d) < 1e-3 ? d.ToString("0.#####e-0", inv) : d.ToString("G6", inv);
    }

    public static void Validate(object options, IEnumerable<ValidationResult>? more = null)
    {
        var results = Results(options);
        if (more is not null) results.AddRange(more);
        if (results.Count == 0) return;
        throw new OptionsValidationException(Errors(results));
    }

    /// <summary>What is wrong with an options record: each property against its attributes (a range in the form's words), then
    /// the record's own cross-field rules.</summary>
    public static List<ValidationResult> Results(object options)
    {
        var results = new List<ValidationResult>();
        // Each property's attributes, then the object's own checks, once each: Validator.TryValidateObject would skip the
        // object's checks whenever a property is out of range, and the form shows every message at once.
        foreach (var p in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.GetIndexParameters().Length == 0))
        {
            var value = p.GetValue(options);
            var own = new List<ValidationResult>();
            if (Validator.TryValidateProperty(value, new ValidationContext(options) { MemberName = p.Name }, own)) continue;
            // a range in the form's words, with what came ("from 1e-9 to 1; got -0.001"), not "The field X must be between …"
            var range = p.GetCustomAttribute<RangeAttribute>();
            results.AddRange(own.Select(r => range is not null && !range.IsValid(value)
                ? new ValidationResult($"must be from {Number(range.Minimum)} to {Number(range.Maximum)}; got {Shown(value)}", [p.Name]) : r));
        }
        if (options is IValidatableObject v) results.AddRange(v.Validate(new ValidationContext(options)));
        return results;
    }

    /// <summary>Validation results as messages by JSON field name ("options" for a result that names no member).</summary>
    public static Dictionary<string, string[]> Errors(IEnumerable<ValidationResult> results) => results
        .SelectMany(r => (r.MemberNames.Any() ? r.MemberNames : ["options"]).Select(m => (Field: JsonNamingPolicy.CamelCase.ConvertName(m), r.ErrorMessage ?? "invalid")))
        .GroupBy(e => e.Field)
        .ToDictionary(g => g.Key, g => g.Select(e => e.Item2).ToArray());

    public static string ToJson(object options) => JsonSerializer.Serialize(options, options.GetType(), Json);

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<object, object> PresetDiffCache = new();

    /// <summary>A method's presets as their differences from the defaults, worked out once per method (for the API and the form).</summary>
    public static IReadOnlyDictionary<string, JsonObject> PresetDiffs<T>(IExperimentMethod method, IReadOnlyDictionary<string, T> presets) where T : class, new() =>
        (IReadOnlyDictionary<string, JsonObject>)PresetDiffCache.GetValue(method, _ => Diff(new T(), presets));

    /// <summary>Each preset as the JSON of the options where it differs from <paramref name="defaults"/>.</summary>
    public static IReadOnlyDictionary<string, JsonObject> Diff<T>(T defaults, IReadOnlyDictionary<string, T> presets) where T : class
    {
        var baseline = (JsonObject)JsonSerializer.SerializeToNode(defaults, Json)!;
        return presets.ToDictionary(p => p.Key, p =>
        {
            var diff = new JsonObject();
            foreach (var (key, value) in (JsonObject)JsonSerializer.SerializeToNode(p.Value, Json)!)
                if (!JsonNode.DeepEquals(value, baseline[key])) diff[key] = value?.DeepClone();
            return diff;
        });
    }
}
