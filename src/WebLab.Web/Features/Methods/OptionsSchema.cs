// An options record as a list of fields (name, type, default, range, description), read once per record type: the
// method's record (its `domain` field offers the host's domains that give what the method needs) and each domain's own
// record. The form builds its two panels, and the API its schemas, from these lists.
using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Methods;

public sealed record OptionField(string Name, string Type, JsonNode? Default, double? Min, double? Max, string? Description, string[]? Choices);
public sealed record MethodDto(string Name, string Title, string Description, string HeadlineMetric, IReadOnlyList<string> Presets, IReadOnlyList<OptionField> Options);
/// <summary>A domain as the API lists it: what it offers methods, and its own options (none for a built-in one).</summary>
public sealed record DomainDto(string Name, IReadOnlyList<string> Offers, IReadOnlyList<OptionField> Options);

public static class OptionsSchema
{
    static readonly ConcurrentDictionary<Type, IReadOnlyList<OptionField>> ByType = new();

    /// <summary>The fields of an options record in form order: shared options first (TrainingOptions, then RlOptions, then
    /// the record's own), each group in declaration order. Worked out once per type.</summary>
    public static IReadOnlyList<OptionField> Fields(Type optionsType) => ByType.GetOrAdd(optionsType, t =>
    {
        var defaults = JsonSerializer.SerializeToNode(Activator.CreateInstance(t), t, MethodOptions.Json) as JsonObject;
        return t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => Depth(p.GetMethod!.GetBaseDefinition().DeclaringType!)).ThenBy(p => p.GetMethod!.GetBaseDefinition().MetadataToken)
            .Select(p =>
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
                var range = p.GetCustomAttribute<RangeAttribute>();
                var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                // the domain is a choice, as an enum is (its choices depend on the method and the host: see below)
                var domain = p.IsDefined(typeof(DomainOptionAttribute), inherit: true);
                return new OptionField(name, domain ? "enum" : TypeName(type), defaults?[name]?.DeepClone(),
                    range is null ? null : Convert.ToDouble(range.Minimum), range is null ? null : Convert.ToDouble(range.Maximum),
                    p.GetCustomAttribute<DescriptionAttribute>()?.Description, type.IsEnum ? Enum.GetNames(type) : domain ? [] : null);
            })
            .ToList();
    });

    /// <param name="domains">The host's domains; the `domain` option offers those with every view the method needs.</param>
    public static IReadOnlyList<OptionField> Fields(IExperimentMethod method, DomainCatalog domains) =>
        [.. Fields(method.OptionsType).Select(f => f.Name == DomainField ? f with { Choices = [.. domains.Offering(method.LeastNeeds)] } : f)];

    /// <summary>The `domain` option's field name.</summary>
    public const string DomainField = "domain";

    /// <summary>The fields of <paramref name="domain"/>'s own options (none for a domain without options).</summary>
    public static IReadOnlyList<OptionField> Fields(IDomain domain) =>
        domain.OptionsType == typeof(NoDomainOptions) ? [] : Fields(domain.OptionsType);

    public static MethodDto Describe(IExperimentMethod m, DomainCatalog domains) =>
        new(m.Name, m.Title, m.Description, m.HeadlineMetric, [.. m.Presets.Keys], Fields(m, domains));

    public static DomainDto Describe(IDomain d) =>
        new(d.Name, [.. DomainCapabilities.Missing(DomainCapabilities.Of(d), DomainCapability.None)], Fields(d));

    static int Depth(Type t) => t.BaseType is null ? 0 : 1 + Depth(t.BaseType);

    static string TypeName(Type t) => t switch
    {
        _ when t == typeof(int) || t == typeof(long) => "integer",
        _ when t == typeof(double) || t == typeof(float) || t == typeof(decimal) => "number",
        _ when t == typeof(bool) => "boolean",
        _ when t.IsEnum => "enum",
        _ when t == typeof(string[]) => "string-list",
        _ => "string",
    };
}
