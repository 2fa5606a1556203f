// What a domain offers, as views a method asks for: supervised data, generated training prompts, a self-play game (the
// RL view every text RL method plays on), visual questions and an evaluator of its own. A domain implements the views it
// has and nothing else, so no member throws "not supported"; a method declares what it needs (IExperimentMethod.Needs),
// and a host refuses a run whose domain lacks it before anything is queued (DomainCatalog.Check).
using WebLab.Training.Experiments;
using WebLab.Training.Models;

namespace WebLab.Training.Domains;

/// <summary>The views a domain can offer; each is one interface below (visual questions: <see cref="IVisualDomain"/>).</summary>
[Flags]
public enum DomainCapability
{
    None = 0,
    /// <summary><see cref="ISupervisedData"/>: SFT's examples, and fresh models over the domain's vocabulary.</summary>
    SupervisedData = 1,
    /// <summary><see cref="IEvaluator"/>: the domain scores a model on its own held-out splits.</summary>
    Evaluator = 2,
    /// <summary><see cref="ISelfPlayGame"/>: Challenger and Solver prompts, a reward, judges and a held-out set.</summary>
    SelfPlayGame = 4,
    /// <summary><see cref="IPromptSource"/>: training prompts drawn by the domain (GRPO's data when no set is imported).</summary>
    Prompts = 8,
    /// <summary><see cref="IVisualDomain"/>: questions with their images, two passes, held-out splits.</summary>
    VisualQuestions = 16,
}

/// <summary>SFT's view: examples to learn from, and models made from scratch over the domain's vocabulary.</summary>
public interface ISupervisedData : IDomain
{
    /// <summary>One SFT example drawn from <paramref name="rng"/>.</summary>
    SupervisedExample SupervisedExample(Random rng, SupervisedSettings settings);
    /// <summary>A fresh model of <paramref name="shape"/> over this domain's vocabulary, initialised (on the CPU) from torch's
    /// global generator, then moved to <paramref name="device"/>.</summary>
    IPolicy NewModel(ModelShape shape, string device);
}

/// <summary>The domain's own scores of a model (SFT's evaluation).</summary>
public interface IEvaluator : IDomain
{
    /// <summary>The model's held-out scores: metrics and samples at <paramref name="step"/>; a visual domain asks in
    /// <paramref name="settings"/>' response format (see-think when null).</summary>
    EvaluationReport Evaluate(IPolicy model, int perSplit, long step, int seed, SupervisedSettings? settings = null);
}

/// <summary>The text RL methods' view (lsp, lsp-zero, grpo): the game, its reward, judges and held-out set.</summary>
public interface ISelfPlayGame : IDomain
{
    /// <summary>Why <paramref name="prompt"/> cannot be a training prompt (not one of this domain's, or a held-out evaluation item), or null.</summary>
    string? CheckTrainingPrompt(string prompt);
    /// <summary>The view the RL recipes use.</summary>
    IRlDomain Rl(RlDomainSettings settings);
}

/// <summary>Training prompts the domain draws itself, never a held-out one.</summary>
public interface IPromptSource : ISelfPlayGame
{
    /// <summary>The prompts a run with <paramref name="settings"/> trains on (GRPO's data).</summary>
    IPromptData Prompts(RlDomainSettings settings);
}

/// <summary>A stream of training prompts (a domain's generator, or an imported set).</summary>
public interface IPromptData
{
    string Next(Random rng);
}

public static class DomainCapabilities
{
    /// <summary>The views <paramref name="domain"/> offers, read from the interfaces it implements.</summary>
    public static DomainCapability Of(IDomain domain) =>
        (domain is ISupervisedData ? DomainCapability.SupervisedData : 0)
        | (domain is IEvaluator ? DomainCapability.Evaluator : 0)
        | (domain is ISelfPlayGame ? DomainCapability.SelfPlayGame : 0)
        | (domain is IPromptSource ? DomainCapability.Prompts : 0)
        | (domain is IVisualDomain ? DomainCapability.VisualQuestions : 0);

    /// <summary>The needs in <paramref name="needs"/> that <paramref name="offered"/> lacks, named as the API writes them.</summary>
    public static IReadOnlyList<string> Missing(DomainCapability needs, DomainCapability offered) =>
        [.. Enum.GetValues<DomainCapability>().Where(c => c != 0 && needs.HasFlag(c) && !offered.HasFlag(c)).Select(Name)];

    /// <summary>"supervised data", "self-play game", …</summary>
    public static string Name(DomainCapability c) => c switch
    {
        DomainCapability.SupervisedData => "supervised data",
        DomainCapability.Evaluator => "an evaluator",
        DomainCapability.SelfPlayGame => "a self-play game",
        DomainCapability.Prompts => "training prompts",
        DomainCapability.VisualQuestions => "visual questions",
        _ => c.ToString(),
    };

    /// <summary><paramref name="domain"/> as its view <typeparamref name="TView"/>; a host checks a method's needs before a run
    /// is queued, so a missing view here is a host's mistake and says so.</summary>
    public static TView As<TView>(this IDomain domain) where TView : class, IDomain =>
        domain as TView ?? throw new InvalidOperationException(
            $"the {domain.Name} domain does not offer {typeof(TView).Name}; the host should have refused the run before queueing it");
}
