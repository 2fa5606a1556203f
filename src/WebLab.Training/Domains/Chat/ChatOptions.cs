// The chat domain's options: the policy's and the reward model's Hugging Face folders, the evaluation set, the judge, a
// declared chat-template family and token limits. They are the domain's, not a method's: every method that runs on chat
// (lsp, lsp-zero, grpo) takes the same ones, checked here once, before launch.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;
using WebLab.Training.Experiments;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.Chat;

public sealed record ChatOptions : DomainOptions, IValidatableObject
{
    [Description("The policy's Hugging Face folder (config.json, safetensors, tokenizer.json with a chat template): start model, reference and evaluation opponent."), StringLength(4096)]
    [FilePath]
    public string Model { get; init; } = "";

    [Description("The reward model's Hugging Face folder (LlamaForSequenceClassification or Qwen2ForSequenceClassification, one output, e.g. Skywork-Reward-V2); its score is R(q, a)."), StringLength(4096)]
    [FilePath]
    public string RewardModel { get; init; } = "";

    [Description("The evaluation set, AlpacaEval JSON / JSON Lines (instruction; dataset as the split) or a .txt of one prompt a line."), StringLength(4096)]
    [FilePath]
    public string EvalSet { get; init; } = "";

    [Description("Judge of evaluation answers: Domain (the reward model's scores) or Llm (the host's OpenAI-compatible endpoint, WebLab:Judge; AlpacaEval-style, order seeded by the instruction).")]
    [JsonConverter(typeof(JsonStringEnumConverter<JudgeKind>))]
    public JudgeKind Judge { get; init; } = JudgeKind.Domain;

    [Description("Render prompts as this template family instead of the one tokenizer_config.json carries (FromTokenizer: only templates the lab knows; anything else is refused).")]
    [JsonConverter(typeof(JsonStringEnumConverter<ChatTemplateChoice>))]
    public ChatTemplateChoice ChatTemplate { get; init; } = ChatTemplateChoice.FromTokenizer;

    [Description("Longest Challenger query in tokens (0: 128). Not given in the LSP paper."), Range(0, 32_768)]
    public int MaxQueryTokens { get; init; }

    [Description("Longest Solver answer in tokens (0: 256). Not given in the LSP paper."), Range(0, 32_768)]
    public int MaxAnswerTokens { get; init; }

    [Description("LSP: longest Box 3 judgement the reference writes (0: 256; the paper asks for up to 100 words and the tags)."), Range(0, 32_768)]
    public int QualityMaxTokens { get; init; }

    /// <summary>The template family to render with, or null for the tokenizer's own.</summary>
    [JsonIgnore] public ChatFamily? TemplateFamily => ChatTemplate switch { ChatTemplateChoice.Llama3 => ChatFamily.Llama3, ChatTemplateChoice.ChatMl => ChatFamily.ChatMl, _ => null };

    /// <summary>Before launch: the model and reward-model folders and the evaluation set are given and exist.</summary>
    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (Folder(Model, nameof(Model), "the policy's Hugging Face folder") is { } m) yield return m;
        if (Folder(RewardModel, nameof(RewardModel), "the reward model's Hugging Face folder") is { } r) yield return r;
        if (string.IsNullOrWhiteSpace(EvalSet)) yield return new("the chat domain needs an evaluation set (AlpacaEval .json/.jsonl or .txt)", [nameof(EvalSet)]);
        else if (!File.Exists(EvalSet)) yield return new($"no file at '{EvalSet}'", [nameof(EvalSet)]);
    }

    static ValidationResult? Folder(string path, string field, string what) =>
        string.IsNullOrWhiteSpace(path) ? new($"the chat domain needs {what}", [field])
        : !Directory.Exists(path) ? new($"no folder at '{path}'", [field])
        : !File.Exists(Path.Combine(path, "config.json")) ? new($"'{path}' has no config.json (not a Hugging Face model folder)", [field])
        : null;
}

/// <summary>How evaluation answers are compared: the domain's own judge (the reward model's scores) or an LLM behind an
/// OpenAI-compatible endpoint (the host's WebLab:Judge settings).</summary>
public enum JudgeKind { Domain, Llm }

/// <summary>The chat template to render with: the tokenizer's own (recognised), or a declared family.</summary>
public enum ChatTemplateChoice { FromTokenizer, Llama3, ChatMl }
