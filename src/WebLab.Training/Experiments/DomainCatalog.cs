// The domains a host offers, by name: the values of every method's `domain` option. A host looks the run's domain up
// here, checks it offers what the method needs (before anything is queued) and hands it to the method in its
// ExperimentContext; methods never look a domain up themselves. Built-in domains register in BuiltInDomains, one line each.
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Experiments;

public sealed class DomainCatalog(IEnumerable<IDomain> domains)
{
    readonly Dictionary<string, IDomain> byName = domains.ToDictionary(d => d.Name, StringComparer.Ordinal);

    /// <summary>The default of every method's `domain` option.</summary>
    public const string DefaultName = TinyTasksDomain.Id;

    /// <summary>Every built-in domain.</summary>
    public static DomainCatalog Default { get; } = new(BuiltInDomains());

    public IReadOnlyCollection<string> Names => byName.Keys;
    public IReadOnlyCollection<IDomain> All => byName.Values;

    public bool TryGet(string name, out IDomain domain) => byName.TryGetValue(name, out domain!);

    public IDomain Get(string name) =>
        TryGet(name, out var d) ? d : throw new KeyNotFoundException(UnknownMessage(name));

    /// <summary>The domain named <paramref name="name"/> as its view <typeparamref name="TView"/>.</summary>
    public TView Get<TView>(string name) where TView : class, IDomain => Get(name).As<TView>();

    public string UnknownMessage(string name) => $"unknown domain '{name}'; known: {string.Join(", ", byName.Keys)}";

    /// <summary>This catalog and <paramref name="more"/> (a host's or a test's own domains).</summary>
    public DomainCatalog With(params IDomain[] more) => new([.. byName.Values, .. more]);

    /// <summary>The names of the domains that offer every view in <paramref name="needs"/>, in catalog order.</summary>
    public IReadOnlyList<string> Offering(DomainCapability needs) =>
        [.. byName.Values.Where(d => DomainCapabilities.Of(d).HasFlag(needs)).Select(d => d.Name)];

    /// <summary>
    /// Why <paramref name="options"/> cannot run <paramref name="method"/> on their domain: an unknown name, a view the
    /// method needs that the domain lacks, or the method's own rules against the domain (none for a method with no domain).
    /// </summary>
    public IEnumerable<ValidationResult> Check(IExperimentMethod method, object options)
    {
        if (options is not TrainingOptions o) yield break;
        if (!TryGet(o.Domain ?? "", out var domain))
        {
            yield return new(UnknownMessage(o.Domain ?? ""), [nameof(TrainingOptions.Domain)]);
            yield break;
        }
        var needs = method.Needs(options);
        var missing = DomainCapabilities.Missing(needs, DomainCapabilities.Of(domain));
        if (missing.Count > 0)
        {
            var offering = Offering(needs);
            yield return new($"{method.Name} needs {string.Join(" and ", missing)}, which the {domain.Name} domain does not offer; "
                + (offering.Count > 0 ? $"domains that do: {string.Join(", ", offering)}" : "no domain here does"), [nameof(TrainingOptions.Domain)]);
            yield break;
        }
        foreach (var r in method.CheckOnDomain(options, domain)) yield return r;
    }

    /// <summary>The run's domain (null: the method has none); throws <see cref="OptionsValidationException"/> with
    /// <see cref="Check"/>'s reasons.</summary>
    public IDomain? Resolve(IExperimentMethod method, object options)
    {
        var errors = MethodOptions.Errors(Check(method, options));
        if (errors.Count > 0) throw new OptionsValidationException(errors);
        return DomainOf(options);
    }

    /// <summary>The domain options already checked (<see cref="Check"/>, e.g. through MethodOptions.Build) name; null when the
    /// method has none.</summary>
    public IDomain? DomainOf(object options) => options is TrainingOptions o ? Get(o.Domain) : null;

    static IEnumerable<IDomain> BuiltInDomains()
    {
        yield return new TinyTasksDomain();
        yield return new TinyTasksDomain(TinyTasksTestbed.Frontier);
        yield return new TinyTasksDomain(TinyTasksTestbed.Headroom);
        yield return new TinyScenesDomain();
        yield return new Domains.Chat.ChatDomain();
        yield return new Domains.VisualChat.VisualChatDomain();
    }
}

/// <summary>Marks the `domain` option: a form offers the host's domains that give what the method needs as its choices,
/// and the host checks the name and the views (<see cref="DomainCatalog.Resolve"/>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DomainOptionAttribute : Attribute;
