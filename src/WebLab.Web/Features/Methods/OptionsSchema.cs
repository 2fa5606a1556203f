// A method's options as a list of fields (name, type, default, range, description), read from its OptionsType.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Methods;

public sealed record OptionField(string Name, string Type, JsonNode? Default, double? Min, double? Max, string? Description, string[]? Choices);
public sealed record MethodDto(string Name, string Title, string Description, string HeadlineMetric, IReadOnlyList<string> Presets, IReadOnlyList<OptionField> Options);

public static class OptionsSchema
{
    /// <param name="domains">The host's domains; the `domain` option offers those with every view the method needs.</param>
    public static IReadOnlyList<OptionField> Fields(IExperimentMethod method, DomainCatalog domains)
    {
        var optionsType = method.OptionsType;
        var defaults = JsonSerializer.SerializeToNode(Activator.CreateInstance(optionsType), optionsType, MethodOptions.Json) as JsonObject;
        // shared options first (TrainingOptions, then RlOptions, then the method's own), each group in declaration order
        return optionsType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.GetIndexParameters().Length == 0)
            .OrderBy(p => Depth(p.GetMethod!.GetBaseDefinition().DeclaringType!)).ThenBy(p => p.GetMethod!.GetBaseDefinition().MetadataToken)
            .Select(p =>
            {
                var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
                var range = p.GetCustomAttribute<RangeAttribute>();
                var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                // the domain is offered as a choice, as an enum is: the domains that give what the method needs
                var named = p.IsDefined(typeof(DomainOptionAttribute), inherit: true) ? domains.Offering(method.LeastNeeds) : null;
                return new OptionField(name, named is null ? TypeName(type) : "enum", defaults?[name]?.DeepClone(),
                    range is null ? null : Convert.ToDouble(range.Minimum), range is null ? null : Convert.ToDouble(range.Maximum),
                    p.GetCustomAttribute<DescriptionAttribute>()?.Description, type.IsEnum ? Enum.GetNames(type) : named?.ToArray());
            })
            .ToList();
    }

    public static MethodDto Describe(IExperimentMethod m, DomainCatalog domains) =>
        new(m.Name, m.Title, m.Description, m.HeadlineMetric, [.. m.Presets.Keys], Fields(m, domains));

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
