// Open-ended instruction following with Hugging Face models, the LSP paper's setting: the policy is a chat model folder
// (Llama 3 or Qwen2 family, its tokenizer.json and chat template), the reward R(q, a) a reward-model folder
// (Skywork-Reward-V2 layout), LSP's quality self-reward the reference model answering Box 3, and evaluation the win rate
// against the start model on an imported set (AlpacaEval's JSON) judged by an LLM or by the reward model.
// In the catalog without resources (for listing and validation); a run gets a configured copy through With.
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.Chat;

public sealed class ChatDomain : ISelfPlayGame
{
    public const string Id = "chat";
    readonly DomainResources _r;
    readonly Lazy<HfTokenizer> _tokenizer;
    readonly Lazy<IReadOnlyList<EvalPrompt>> _evalSet;

    public ChatDomain() : this(DomainResources.None) { }

    ChatDomain(DomainResources r)
    {
        _r = r;
        _tokenizer = new(() => HfTokenizer.FromFolder(Need(r.Model, "model", "the policy's Hugging Face folder"), r.ChatTemplate));
        _evalSet = new(() => EvalSetFile.Load(Need(r.EvalSet, "evalSet", "an evaluation set (AlpacaEval .json/.jsonl or .txt)")));
    }

    static string Need(string? value, string option, string what) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"the chat domain needs the {option} option: {what}") : value;

    public string Name => Id;
    public ITokenizer Tokenizer => _tokenizer.Value;

    public IDomain With(DomainResources resources)
    {
        Need(resources.Model, "model", "the policy's Hugging Face folder");
        Need(resources.RewardModel, "rewardModel", "a reward model's Hugging Face folder (sequence classification)");
        Need(resources.EvalSet, "evalSet", "an evaluation set (AlpacaEval .json/.jsonl or .txt)");
        if (resources.Judge == JudgeKind.Llm && resources.LlmJudge is null)
            throw new ArgumentException("judge is Llm but this host has no LLM judge configured (WebLab:Judge:BaseUrl and Model)");
        return new ChatDomain(resources);
    }

    public string? BaseModelFolder => string.IsNullOrEmpty(_r.Model) ? null : _r.Model;

    public IPolicy LoadBaseModel(string device) => ModelFamilies.Load(Need(_r.Model, "model", "the policy's Hugging Face folder"), device);

    public string? CheckTrainingPrompt(string prompt)
    {
        if (prompt.Trim().Length == 0) return "empty prompt";
        if (!string.IsNullOrEmpty(_r.EvalSet) && _evalSet.Value.Any(p => HeldOutKey(p.Prompt) == HeldOutKey(prompt))) return "a held-out evaluation item";
        return null;
    }

    /// <summary>How the held-out rule compares prompts: whitespace runs as one space, trimmed, lower case
    /// ("Name  three\nbirds " and "name three birds" are the same item).</summary>
    public static string HeldOutKey(string prompt) =>
        string.Join(' ', prompt.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant();

    public IRlDomain Rl(RlDomainSettings settings)
    {
        var tokenizer = _tokenizer.Value;
        var chat = tokenizer.Chat ?? throw new InvalidDataException($"{_r.Model}: {tokenizer.ChatUnavailableReason}");
        var rewardModel = RewardModel.Load(_r.RewardModel!, _r.Device, chat: _r.ChatTemplate);
        try
        {
            IPairwiseJudge judge = _r.Judge == JudgeKind.Llm ? new LlmPairwiseJudge(new Judges.LlmJudge(_r.LlmJudge!)) : new RewardModelJudge(rewardModel);
            return new ChatRlDomain(tokenizer, chat, rewardModel, _evalSet.Value, judge,
                _r.MaxQueryTokens > 0 ? _r.MaxQueryTokens : 128, _r.MaxAnswerTokens > 0 ? _r.MaxAnswerTokens : 256,
                _r.QualityMaxTokens > 0 ? _r.QualityMaxTokens : 256);
        }
        catch
        {
            rewardModel.Dispose();
            throw;
        }
    }
}
