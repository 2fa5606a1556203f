// The training methods this build knows, by name. Hosts (web, CLI) look methods up here.
namespace WebLab.Training.Experiments;

public sealed class MethodCatalog(IEnumerable<IExperimentMethod> methods)
{
    readonly Dictionary<string, IExperimentMethod> byName = methods.ToDictionary(m => m.Name, StringComparer.Ordinal);

    /// <summary>Every built-in method.</summary>
    public static MethodCatalog Default { get; } = new(BuiltInMethods());

    public IReadOnlyCollection<IExperimentMethod> All => byName.Values;

    public bool TryGet(string name, out IExperimentMethod method) => byName.TryGetValue(name, out method!);

    public IExperimentMethod Get(string name) =>
        TryGet(name, out var m) ? m : throw new KeyNotFoundException($"unknown method '{name}'; known: {string.Join(", ", byName.Keys)}");

    /// <summary>This catalog and <paramref name="more"/> (a host's or a test's own methods).</summary>
    public MethodCatalog With(params IExperimentMethod[] more) => new([.. byName.Values, .. more]);

    static IEnumerable<IExperimentMethod> BuiltInMethods()
    {
        // one line a method
        yield return new Methods.Sft.SftMethod();
        yield return new Methods.SelfPlay.SelfPlayMethod(withQuality: true);
        yield return new Methods.SelfPlay.SelfPlayMethod(withQuality: false);
        yield return new Methods.Grpo.GrpoMethod();
        yield return new Methods.VisionSr1.VisionSr1Method(Methods.VisionSr1.VisionArm.SelfReward);
        yield return new Methods.VisionSr1.VisionSr1Method(Methods.VisionSr1.VisionArm.ChainOfThought);
        yield return new Methods.VisionSr1.VisionSr1Method(Methods.VisionSr1.VisionArm.SeeThinkNoSelfReward);
    }
}
