// Open-ended instruction following with Hugging Face models, the LSP paper's setting: the policy is a chat model folder
// (Llama 3 or Qwen2 family, its tokenizer.json and chat template), the reward R(q, a) a reward-model folder
// (Skywork-Reward-V2 layout), LSP's quality self-reward the reference model answering Box 3, and evaluation the win rate
// against the start model on an imported set (AlpacaEval's JSON) judged by an LLM or by the reward model.
// Its options are ChatOptions. In the catalog unconfigured (for listing and validation); a run gets a configured copy
// through With.
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.Chat;

public sealed class ChatDomain : ISelfPlayGame
{
    public const string Id = "chat";
    readonly ChatOptions _o;
    readonly DomainSetup _setup;
    readonly Lazy<HfTokenizer> _tokenizer;
    readonly Lazy<IReadOnlyList<EvalPrompt>> _evalSet;

    public ChatDomain() : this(new DomainSetup(new ChatOptions())) { }

    ChatDomain(DomainSetup setup)
    {
        _setup = setup;
        _o = (ChatOptions)setup.Options;
        _tokenizer = new(() => HfTokenizer.FromFolder(Need(_o.Model, "model", "the policy's Hugging Face folder"), _o.TemplateFamily));
        _evalSet = new(() => EvalSetFile.Load(Need(_o.EvalSet, "evalSet", "an evaluation set (AlpacaEval .json/.jsonl or .txt)")));
    }

    static string Need(string? value, string option, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"the chat domain needs the {option} option: {what}") : value;

    public string Name => Id;
    public ITokenizer Tokenizer => _tokenizer.Value;

    public Type OptionsType => typeof(ChatOptions);

    public IDomain With(DomainSetup setup)
    {
        if (setup.Options is not ChatOptions o) throw new ArgumentException($"the chat domain takes ChatOptions; got {setup.Options.GetType().Name}");
        Need(o.Model, "model", "the policy's Hugging Face folder");
        Need(o.RewardModel, "rewardModel", "a reward model's Hugging Face folder (sequence classification)");
        Need(o.EvalSet, "evalSet", "an evaluation set (AlpacaEval .json/.jsonl or .txt)");
        if (o.Judge == JudgeKind.Llm && setup.LlmJudge is null)
            throw new ArgumentException("judge is Llm but this host has no LLM judge configured (WebLab:Judge:BaseUrl and Model)");
        return new ChatDomain(setup);
    }

    public string? BaseModelFolder => string.IsNullOrEmpty(_o.Model) ? null : _o.Model;
    public string? TokenizerFolder => BaseModelFolder;
    /// <summary>The chat template's frame (≈ 64 tokens), a query and an answer at their limits.</summary>
    public int? MaxSequence => 64 + (_o.MaxQueryTokens > 0 ? _o.MaxQueryTokens : 128) + (_o.MaxAnswerTokens > 0 ? _o.MaxAnswerTokens : 256);
    public IReadOnlyList<string> FrozenModelFolders => string.IsNullOrEmpty(_o.RewardModel) ? [] : [_o.RewardModel];

    public IPolicy LoadBaseModel(string device) => ModelFamilies.Load(Need(_o.Model, "model", "the policy's Hugging Face folder"), device);

    public string? CheckTrainingPrompt(string prompt)
    {
        if (prompt.Trim().Length == 0) return "empty prompt";
        if (!string.IsNullOrEmpty(_o.EvalSet) && _evalSet.Value.Any(p => HeldOutKey(p.Prompt) == HeldOutKey(prompt))) return "a held-out evaluation item";
        return null;
    }

    /// <summary>How the held-out rule compares prompts: whitespace runs as one space, trimmed, lower case
    /// ("Name  three\nbirds " and "name three birds" are the same item).</summary>
    public static string HeldOutKey(string prompt) =>
        string.Join(' ', prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    public IRlDomain Rl(RlDomainSettings settings)
    {
        var tokenizer = _tokenizer.Value;
        var chat = tokenizer.Chat ?? throw new InvalidDataException($"{_o.Model}: {tokenizer.ChatUnavailableReason}");
        var rewardModel = RewardModel.Load(_o.RewardModel, _setup.Device, chat: _o.TemplateFamily);
        try
        {
            IPairwiseJudge judge = _o.Judge == JudgeKind.Llm ? new LlmPairwiseJudge(new Judges.LlmJudge(_setup.LlmJudge!)) : new RewardModelJudge(rewardModel);
            return new ChatRlDomain(tokenizer, chat, rewardModel, _evalSet.Value, judge,
                _o.MaxQueryTokens > 0 ? _o.MaxQueryTokens : 128, _o.MaxAnswerTokens > 0 ? _o.MaxAnswerTokens : 256,
                _o.QualityMaxTokens > 0 ? _o.QualityMaxTokens : 256);
        }
        catch
        {
            rewardModel.Dispose();
            throw;
        }
    }
}
