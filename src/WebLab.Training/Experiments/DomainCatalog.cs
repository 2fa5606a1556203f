// The domains this build knows, by name: the values of every method's `domain` option. Methods look their domain up
// here and never construct one; hosts list them.
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Domains.TinyTasks;

namespace WebLab.Training.Experiments;

public sealed class DomainCatalog(IEnumerable<IDomain> domains)
{
    readonly Dictionary<string, IDomain> byName = domains.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>The default of every method's `domain` option.</summary>
    public const string DefaultName = TinyTasksDomain.Id;

    /// <summary>Every built-in domain.</summary>
    public static DomainCatalog Default { get; } = new(BuiltInDomains());

    public IReadOnlyCollection<string> Names => byName.Keys;

    public bool TryGet(string name, out IDomain domain) => byName.TryGetValue(name, out domain!);

    public IDomain Get(string name) =>
        TryGet(name, out var d) ? d : throw new KeyNotFoundException(UnknownMessage(name));

    public string UnknownMessage(string name) => $"unknown domain '{name}'; known: {string.Join(", ", byName.Keys)}";

    static IEnumerable<IDomain> BuiltInDomains()
    {
        yield return new TinyTasksDomain();
        yield return new TinyTasksDomain(TinyTasksTestbed.Frontier);
        yield return new TinyTasksDomain(TinyTasksTestbed.Headroom);
        yield return new TinyScenesDomain();
        yield return new Domains.Chat.ChatDomain();
    }
}

/// <summary>Validates a `domain` option against <see cref="DomainCatalog.Default"/>; its names are the field's choices.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KnownDomainAttribute : ValidationAttribute, IOptionChoices
{
    public IReadOnlyList<string> Choices => [.. DomainCatalog.Default.Names];

    protected override ValidationResult? IsValid(object? value, ValidationContext context) =>
        value is string name && DomainCatalog.Default.TryGet(name, out _)
            ? ValidationResult.Success
            : new ValidationResult(DomainCatalog.Default.UnknownMessage(value as string ?? ""), context.MemberName is { } m ? [m] : null);
}

/// <summary>An option whose values are a fixed list of names (a form shows them as a choice).</summary>
public interface IOptionChoices
{
    IReadOnlyList<string> Choices { get; }
}
