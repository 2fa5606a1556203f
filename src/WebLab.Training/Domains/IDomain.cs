// A domain the lab trains on, as DomainCatalog lists it (the `domain` option of every method): its name, base model and
// tokenizer, and the run's resources. What it offers methods are capability views (Capabilities.cs): supervised data, an
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
/// to teach the public cold start's three responses in equal thirds (<paramref name="PublicMix"/>).</summary>
public sealed record SupervisedSettings(int MaxLevel, double TailShare, double ChallengerShare, ResponseFormat Format = ResponseFormat.SeeThink,
    bool PublicMix = true);

/// <summary>One supervised example: the prompt, and the target tokens the model learns to continue it with.</summary>
public sealed record SupervisedExample(Prompt Prompt, int[] Target);

/// <summary>The shape of a model trained from scratch.</summary>
public sealed record ModelShape(int Layers, int Width, int Heads, int KvHeads);

/// <summary>Metrics and samples of one evaluation of a model on its own.</summary>
public sealed record EvaluationReport(IReadOnlyList<MetricPoint> Metrics, IReadOnlyList<SampleRecord> Samples);

/// <summary>How evaluation answers are compared: the domain's own judge (TinyTasks' verifier; for chat, the reward
/// model's scores) or an LLM behind an OpenAI-compatible endpoint (the host's WebLab:Judge settings).</summary>
public enum JudgeKind { Domain, Llm }

/// <summary>
/// What a run hands a domain that reads outside resources: the chat domain's Hugging Face folders (policy, reward model),
/// its evaluation set, the judge, a declared chat-template family and token limits (0: the domain's default).
/// </summary>
public sealed record DomainResources
{
    public string? Model { get; init; }
    public string? RewardModel { get; init; }
    public string? EvalSet { get; init; }
    public JudgeKind Judge { get; init; }
    public Judges.LlmJudgeSettings? LlmJudge { get; init; }
    public ChatFamily? ChatTemplate { get; init; }
    public int MaxQueryTokens { get; init; }
    public int MaxAnswerTokens { get; init; }
    public int QualityMaxTokens { get; init; }
    /// <summary>Where models the domain loads itself (a reward model) run: the run's device.</summary>
    public string Device { get; init; } = "cpu";

    public static readonly DomainResources None = new();
    public bool Any => !string.IsNullOrEmpty(Model) || !string.IsNullOrEmpty(RewardModel) || !string.IsNullOrEmpty(EvalSet) || Judge != JudgeKind.Domain;
}

public interface IDomain
{
    /// <summary>The `domain` option's value, e.g. "tinytasks".</summary>
    string Name { get; }
    ITokenizer Tokenizer { get; }
    /// <summary>The folder the base model loads from (recorded with each run's provenance), or null when it has none.</summary>
    string? BaseModelFolder => null;
    /// <summary>The base model: start model of every method without a parent, and the opponent of RL evaluations.</summary>
    IPolicy LoadBaseModel(string device);
    /// <summary>This domain with a run's resources; a built-in domain needs none and refuses them by name.</summary>
    IDomain With(DomainResources resources) => !resources.Any ? this
        : throw new ArgumentException($"the {Name} domain takes no model, rewardModel, evalSet or LLM judge (those are the chat domain's)");
}
