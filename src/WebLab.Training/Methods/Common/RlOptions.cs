// The options every RL method shares (self-play, GRPO, and what the run setup, step loop and evaluation read), declared
// once. Where the methods' defaults differ (loss averaging, std scaling, learning rate) the member is abstract and each
// method states its default and why.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Methods.Common;

public abstract record RlOptions : TrainingOptions, IValidatableObject
{
    [Description("Iterations (one optimiser step each). Not given in the LSP paper (its samples are shown at 500/1000/1500)."), Range(1, 1_000_000)]
    public override int Steps { get; init; } = 1500;

    [Description("G (TRL: num_generations): answers per prompt or query. Not given in the LSP paper; 8 is our default."), Range(2, 256)]
    public int Answers { get; init; } = 8;

    [Description("β: KL weight towards the frozen start model (LSP paper: 0.05)."), Range(0.0, 100.0)]
    public double Beta { get; init; } = 0.05;

    [Description("KL estimator: K3 (per-token exp(r)−r−1, TRL's; default), Literal (LSP's sequence log-ratio in the loss: no pull to the reference in expectation), AdvantagePenalty (detached log-ratio subtracted from the advantage).")]
    [JsonConverter(typeof(JsonStringEnumConverter<KlEstimator>))]
    public KlEstimator Kl { get; init; } = KlEstimator.K3;

    /// <summary>Sequence or Token averaging of the loss; each method gives its default.</summary>
    public abstract LossAveraging Averaging { get; init; }

    /// <summary>Whether advantages are divided by their group's std; each method gives its default.</summary>
    public abstract bool ScaleByStd { get; init; }

    [Description("Reward partial credit (share of correct characters; numbers aligned from the right) instead of exact match: a dense reward like the paper's reward model.")]
    public bool PartialCredit { get; init; } = true;

    [Description("Sampling temperature of training rollouts (not given in the LSP paper); log-probs, ratio and KL are computed at it too (as TRL's GRPO)."), Range(0.05, 5.0)]
    public double Temperature { get; init; } = 1.0;

    [Description("Evaluation temperature (LSP paper: 0.01)."), Range(0.0, 5.0)]
    public double EvalTemperature { get; init; } = 0.01;

    [Description("Evaluate (win rate against the base model) every this many iterations, and at the end."), Range(1, 1_000_000)]
    public override int EvalEvery { get; init; } = 250;

    [Description("Seed of the evaluation split (default the fixed one every result is reported on; another draws a second set to recheck a result on)."), Range(0, int.MaxValue)]
    public int EvalSeed { get; init; } = EvalSplits.DefaultSeed;

    [Description("Store every k-th iteration's queries and answers as samples."), Range(1, 1_000_000)]
    public int SampleEvery { get; init; } = 5;

    // The chat domain's resources (Hugging Face folders, evaluation set, judge); the built-in domains take none.

    [Description("Chat domain: the policy's Hugging Face folder (config.json, safetensors, tokenizer.json with a chat template): start model, reference and evaluation opponent."), StringLength(4096)]
    [FilePath]
    public string Model { get; init; } = "";

    [Description("Chat domain: the reward model's Hugging Face folder (LlamaForSequenceClassification or Qwen2ForSequenceClassification, one output, e.g. Skywork-Reward-V2); its score is R(q, a)."), StringLength(4096)]
    [FilePath]
    public string RewardModel { get; init; } = "";

    [Description("Chat domain: the evaluation set, AlpacaEval JSON / JSON Lines (instruction; dataset as the split) or a .txt of one prompt a line."), StringLength(4096)]
    [FilePath]
    public string EvalSet { get; init; } = "";

    [Description("Judge of evaluation answers: Domain (TinyTasks' verifier; in the chat domain the reward model's scores) or Llm (the host's OpenAI-compatible endpoint, WebLab:Judge; AlpacaEval-style, order seeded by the instruction).")]
    [JsonConverter(typeof(JsonStringEnumConverter<JudgeKind>))]
    public JudgeKind Judge { get; init; } = JudgeKind.Domain;

    [Description("Chat domain: render prompts as this template family instead of the one tokenizer_config.json carries (FromTokenizer: only templates the lab knows; anything else is refused).")]
    [JsonConverter(typeof(JsonStringEnumConverter<ChatTemplateChoice>))]
    public ChatTemplateChoice ChatTemplate { get; init; } = ChatTemplateChoice.FromTokenizer;

    [Description("Chat domain: longest Challenger query in tokens (0: 128). Not given in the LSP paper."), Range(0, 32_768)]
    public int MaxQueryTokens { get; init; }

    [Description("Chat domain: longest Solver answer in tokens (0: 256). Not given in the LSP paper."), Range(0, 32_768)]
    public int MaxAnswerTokens { get; init; }

    [Description("Chat domain, LSP: longest Box 3 judgement the reference writes (0: 256; the paper asks for up to 100 words and the tags)."), Range(0, 32_768)]
    public int QualityMaxTokens { get; init; }

    /// <summary>
    /// Cross-field rules, before launch: the chat domain needs its model and reward-model folders and its evaluation
    /// set, and they must exist; the built-in domains read none of them and are judged by their own verifier.
    /// </summary>
    public virtual IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Domain == Domains.Chat.ChatDomain.Id)
        {
            if (Folder(Model, nameof(Model), "the policy's Hugging Face folder") is { } m) yield return m;
            if (Folder(RewardModel, nameof(RewardModel), "the reward model's Hugging Face folder") is { } r) yield return r;
            if (string.IsNullOrWhiteSpace(EvalSet)) yield return new("the chat domain needs an evaluation set (AlpacaEval .json/.jsonl or .txt)", [nameof(EvalSet)]);
            else if (!File.Exists(EvalSet)) yield return new($"no file at '{EvalSet}'", [nameof(EvalSet)]);
            yield break;
        }
        foreach (var (value, name) in new[] { (Model, nameof(Model)), (RewardModel, nameof(RewardModel)), (EvalSet, nameof(EvalSet)) })
            if (!string.IsNullOrEmpty(value))
                yield return new($"only the chat domain reads this; the {Domain} domain has its own base model and evaluation", [name, nameof(Domain)]);
        if (Judge == JudgeKind.Llm) yield return new($"the {Domain} domain is judged by its own verifier; an LLM judge is for the chat domain", [nameof(Judge), nameof(Domain)]);
    }

    static ValidationResult? Folder(string path, string field, string what) =>
        string.IsNullOrWhiteSpace(path) ? new($"the chat domain needs {what}", [field])
        : !Directory.Exists(path) ? new($"no folder at '{path}'", [field])
        : !File.Exists(Path.Combine(path, "config.json")) ? new($"'{path}' has no config.json (not a Hugging Face model folder)", [field])
        : null;

    /// <summary>The domain's share of these options, with the host's LLM judge and the run's device.</summary>
    public DomainResources Resources(Experiments.ExperimentContext context) => new()
    {
        Model = Model, RewardModel = RewardModel, EvalSet = EvalSet, Judge = Judge, LlmJudge = context.Judge,
        ChatTemplate = ChatTemplate switch { ChatTemplateChoice.Llama3 => ChatFamily.Llama3, ChatTemplateChoice.ChatMl => ChatFamily.ChatMl, _ => null },
        MaxQueryTokens = MaxQueryTokens, MaxAnswerTokens = MaxAnswerTokens, QualityMaxTokens = QualityMaxTokens, Device = context.Device,
    };
}

/// <summary>The chat template to render with: the tokenizer's own (recognised), or a declared family.</summary>
public enum ChatTemplateChoice { FromTokenizer, Llama3, ChatMl }
