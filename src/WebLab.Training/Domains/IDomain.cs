// A domain the lab trains on, as DomainCatalog lists it (the `domain` option of every method): its name, base model and
// tokenizer, and its options (DomainOptions.cs). What it offers methods are capability views (Capabilities.cs): supervised data, an
// evaluator, a self-play game, training prompts, visual questions. A new domain is a folder under Domains/ with one class
// implementing this and the views it has, and one line in DomainCatalog.
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Tokenizers;
using WebLab.Training.Models;

namespace WebLab.Training.Domains;

/// <summary>What an RL method chooses of its domain: partial-credit rewards, the hardest level of generated training
/// prompts (null: the domain's hardest), and the evaluation seed (null: the domain's fixed one).</summary>
public sealed record RlDomainSettings(bool PartialCredit, int? TrainingMaxLevel = null, int? EvaluationSeed = null, int? TrainingMinLevel = null);

/// <summary>How a visual domain's answers are written: Vision-SR1's see-think format (description, reasoning, boxed answer)
/// or Vision-R1's chain of thought (reasoning, boxed answer).</summary>
public enum ResponseFormat { SeeThink, Think }

/// <summary>What SFT draws: levels up to <paramref name="MaxLevel"/>, a share of harder examples, a share in the Challenger
/// role (TinyTasks); the response format (visual domains; its evaluation asks in the same format), and for see-think whether
/// to teach the public cold start's three responses in equal thirds (<paramref name="PublicMix"/>); and the processor of the
/// model being taught, whose placeholder runs its visual prompts carry (null: the domain's own models' processor).</summary>
public sealed record SupervisedSettings(int MaxLevel, double TailShare, double ChallengerShare, ResponseFormat Format = ResponseFormat.SeeThink,
    bool PublicMix = true, IMediaProcessor? Processor = null);

/// <summary>One supervised example: the prompt, and the target tokens the model learns to continue it with.</summary>
public sealed record SupervisedExample(Prompt Prompt, int[] Target);

/// <summary>The shape of a model trained from scratch.</summary>
public sealed record ModelShape(int Layers, int Width, int Heads, int KvHeads);

/// <summary>Metrics and samples of one evaluation of a model on its own.</summary>
public sealed record EvaluationReport(IReadOnlyList<MetricPoint> Metrics, IReadOnlyList<SampleRecord> Samples);

public interface IDomain
{
    /// <summary>The `domain` option's value, e.g. "tinytasks".</summary>
    string Name { get; }
    ITokenizer Tokenizer { get; }
    /// <summary>The folder the base model loads from (recorded with each run's provenance), or null when it has none.</summary>
    string? BaseModelFolder => null;
    /// <summary>The base model: start model of every method without a parent, and the opponent of RL evaluations.</summary>
    IPolicy LoadBaseModel(string device);
    /// <summary>The domain's options record (<see cref="DomainOptions"/>): what a run sets of this domain, shown in its own
    /// panel of the launch form and stored beside the method's options.</summary>
    Type OptionsType => typeof(NoDomainOptions);
    /// <summary>This domain configured for one run with its options (a domain without options is its own configured copy).</summary>
    IDomain With(DomainSetup setup) => setup.Options is NoDomainOptions ? this
        : throw new ArgumentException($"the {Name} domain takes no options; got {setup.Options.GetType().Name}");
    /// <summary>The longest sequence an update on this domain scores (prompt and answer), for the memory plan; null: the
    /// model's own limit.</summary>
    int? MaxSequence => null;
    /// <summary>The longest sequence a generation on this domain caches (a prompt and what is generated after it, the
    /// judge's included), for the memory plan; by default <see cref="MaxSequence"/>.</summary>
    int? MaxRolloutSequence => MaxSequence;
    /// <summary>The longest self-play Challenger row (its prompt and a query), when longer than the others (the chat domain's
    /// Box 1); by default <see cref="MaxSequence"/>.</summary>
    int? MaxChallengerSequence => MaxSequence;
    /// <summary>Vision patches of one prompt's images at most (each image at the size the policy's processor gives it), for
    /// the memory plan's vision-tower activations; null for a domain without images or a tower the plan does not model.</summary>
    int? MaxImagePatches => null;
    /// <summary>Folders of frozen networks the domain loads itself (the chat domain's reward model), for the memory plan.</summary>
    IReadOnlyList<string> FrozenModelFolders => [];
    /// <summary>The Hugging Face folder the policy loads from when the domain brings one (chat): its tokenizer and generation
    /// files go with each final checkpoint. Null for a domain whose tokenizer is built in.</summary>
    string? TokenizerFolder => null;
}
