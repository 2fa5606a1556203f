// A domain the lab trains on, as DomainCatalog lists it (the `domain` option of every method): its base model, its
// tokenizer, which prompts it accepts, its RL view, its supervised examples and how it evaluates a model on its own.
// A new domain is a folder under Domains/ with one class implementing this, and one line in DomainCatalog.
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Tokenizers;
using WebLab.Training.Models;

namespace WebLab.Training.Domains;

/// <summary>What an RL method chooses of its domain: partial-credit rewards, the hardest level of generated training
/// prompts (null: the domain's hardest), and the evaluation seed (null: the domain's fixed one).</summary>
public sealed record RlDomainSettings(bool PartialCredit, int? TrainingMaxLevel = null, int? EvaluationSeed = null);

/// <summary>How a visual domain's answers are written: Vision-SR1's see-think format (description, reasoning, boxed answer)
/// or Vision-R1's chain of thought (reasoning, boxed answer).</summary>
public enum ResponseFormat { SeeThink, Think }

/// <summary>What SFT draws: levels up to <paramref name="MaxLevel"/>, a share of harder examples, a share in the Challenger
/// role (TinyTasks); the response format (visual domains; its evaluation asks in the same format).</summary>
public sealed record SupervisedSettings(int MaxLevel, double TailShare, double ChallengerShare, ResponseFormat Format = ResponseFormat.SeeThink);

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
    /// <summary>The base model: start model of every method without a parent, and the opponent of RL evaluations.</summary>
    IPolicy LoadBaseModel(string device);
    /// <summary>A fresh model of <paramref name="shape"/> over this domain's vocabulary, initialised (on the CPU) from torch's
    /// global generator, then moved to <paramref name="device"/>.</summary>
    IPolicy NewModel(ModelShape shape, string device);
    /// <summary>Why <paramref name="prompt"/> cannot be a training prompt (not one of this domain's, or a held-out evaluation item), or null.</summary>
    string? CheckTrainingPrompt(string prompt);
    /// <summary>The view the RL recipes use.</summary>
    IRlDomain Rl(RlDomainSettings settings);
    /// <summary>One SFT example drawn from <paramref name="rng"/>.</summary>
    SupervisedExample SupervisedExample(Random rng, SupervisedSettings settings);
    /// <summary>The model's held-out scores (SFT's evaluation): metrics and samples at <paramref name="step"/>; a visual domain
    /// asks in <paramref name="settings"/>' response format (see-think when null).</summary>
    EvaluationReport Evaluate(IPolicy model, int perSplit, long step, int seed, SupervisedSettings? settings = null);
}
