// A run as it is launched, stored and handed to a worker: the method with its options record, and the run's domain
// (named by the options' `domain`) with the domain's own options record. On the wire and in the records it is one flat
// JSON object, the method's fields and the domain's side by side, built and checked once at launch and read as is by the
// job, the worker and `weblab train --resume`; presets, sweeps, clones and stored runs keep that one shape.
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Experiments;

public sealed record RunSpec(IExperimentMethod Method, object Options, DomainOptions DomainOptions)
{
    /// <summary>The run's domain name (null for a method with no domain option).</summary>
    public string? Domain => (Options as TrainingOptions)?.Domain;

    /// <summary>The flat JSON object: the method's options, then the domain's (none for a domain without options).</summary>
    public JsonObject ToJsonObject()
    {
        var json = (JsonObject)JsonSerializer.SerializeToNode(Options, Options.GetType(), MethodOptions.Json)!;
        if (DomainOptions is not NoDomainOptions)
            foreach (var (key, value) in (JsonObject)JsonSerializer.SerializeToNode(DomainOptions, DomainOptions.GetType(), MethodOptions.Json)!)
                json[key] = value?.DeepClone();
        return json;
    }

    public string ToJson() => ToJsonObject().ToJsonString(MethodOptions.Json);

    /// <summary>The run's domain configured for it (the device and dtype of the models it loads itself: bf16 for a bf16-mixed
    /// run, the host's LLM judge); null when the method has none. The spec was checked against <paramref name="domains"/>
    /// when it was built.</summary>
    public IDomain? ConfiguredDomain(DomainCatalog domains, string device = "cpu", Judges.LlmJudgeSettings? llmJudge = null) =>
        domains.DomainOf(Options)?.With(new DomainSetup(DomainOptions, device, llmJudge,
            FrozenInBf16: Options is Methods.Common.TrainingOptions o && Methods.Common.Precisions.Resolve(o.Precision, device) == Methods.Common.Precision.Bf16Mixed));

    /// <summary>
    /// defaults ← preset ← overrides, split into the method's options and the domain's, then every check at once: each
    /// record's own rules and, with the host's <paramref name="domains"/>, that the domain exists and offers what the
    /// method needs. Throws <see cref="OptionsValidationException"/> with messages by JSON field name.
    /// </summary>
    public static RunSpec Build(IExperimentMethod method, string? preset, JsonObject? overrides, DomainCatalog? domains = null)
    {
        var merged = new JsonObject();
        if (preset is not null)
        {
            // the preset is a whole typed record: its JSON is the starting point, no diff against the defaults
            var p = method.Preset(preset) ?? throw new OptionsValidationException(new Dictionary<string, string[]>
            {
                ["preset"] = [$"unknown preset '{preset}' for method '{method.Name}'; known: {string.Join(", ", method.Presets.Keys)}"],
            });
            merged = (JsonObject)JsonSerializer.SerializeToNode(p, method.OptionsType, MethodOptions.Json)!;
        }
        if (overrides is not null)
            foreach (var (key, value) in overrides) merged[key] = value?.DeepClone();
        return Parse(method, merged, domains);
    }

    /// <summary>A stored spec (a record's config, a run folder's options.json), checked as at launch.</summary>
    public static RunSpec FromJson(IExperimentMethod method, string json, DomainCatalog? domains = null)
    {
        JsonObject flat;
        try { flat = JsonNode.Parse(json) as JsonObject ?? throw new JsonException("not a JSON object"); }
        catch (JsonException e) { throw new OptionsValidationException(new Dictionary<string, string[]> { ["options"] = [$"malformed options ({e.Message})"] }); }
        return Parse(method, flat, domains);
    }

    static RunSpec Parse(IExperimentMethod method, JsonObject flat, DomainCatalog? domains)
    {
        var catalog = domains ?? DomainCatalog.Default;
        var domainName = flat["domain"] is JsonValue v && v.TryGetValue<string>(out var named) ? named : (method.DefaultOptions() as TrainingOptions)?.Domain;
        var domainType = domainName is not null && catalog.TryGet(domainName, out var domain) ? domain.OptionsType : typeof(NoDomainOptions);
        var own = FieldNames(domainType);
        JsonObject methodPart = [], domainPart = [];
        var rules = new List<ValidationResult>();
        foreach (var (key, value) in flat)
        {
            if (own.Contains(key)) domainPart[key] = value?.DeepClone();
            else if (OtherOwners(catalog, domainType, key) is { Count: > 0 } owners)
            {
                // another domain's option: at its default it says nothing (records stored before the split carry every
                // chat option at its default); set, it is refused, naming the domain it belongs to
                if (!owners.All(o => JsonNode.DeepEquals(value, Defaults(o.OptionsType)[key])))
                    rules.Add(new($"only the {string.Join(" and ", owners.Select(o => o.Name))} domain reads this; the {domainName} domain has its own base model and evaluation",
                        [key, nameof(TrainingOptions.Domain)]));
            }
            else methodPart[key] = value?.DeepClone();
        }
        var errors = new Dictionary<string, string[]>();
        var options = MethodOptions.Deserialize(method.OptionsType, methodPart, errors, $"of the {method.Name} method");
        var domainOptions = (DomainOptions?)MethodOptions.Deserialize(domainType, domainPart, errors, $"of the {domainName} domain");
        if (errors.Count > 0) throw new OptionsValidationException(errors);
        rules.AddRange(MethodOptions.Results(options!));
        rules.AddRange(MethodOptions.Results(domainOptions!));
        if (domains is not null) rules.AddRange(domains.Check(method, options!));
        if (rules.Count > 0) throw new OptionsValidationException(MethodOptions.Errors(rules));
        return new(method, options!, domainOptions!);
    }

    /// <summary>The JSON field names of an options record.</summary>
    public static IReadOnlySet<string> FieldNames(Type optionsType) => Fields.GetValue(optionsType, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)).ToHashSet(StringComparer.Ordinal));

    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Type, IReadOnlySet<string>> Fields = new();
    static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Type, JsonObject> DefaultsByType = new();

    static JsonObject Defaults(Type optionsType) => DefaultsByType.GetValue(optionsType, t =>
        (JsonObject)JsonSerializer.SerializeToNode(Activator.CreateInstance(t), t, MethodOptions.Json)!);

    /// <summary>The catalog's domains other than the run's whose options include <paramref name="key"/>.</summary>
    static List<IDomain> OtherOwners(DomainCatalog catalog, Type runDomainType, string key) =>
        [.. catalog.All.Where(d => d.OptionsType != runDomainType && FieldNames(d.OptionsType).Contains(key))];
}
