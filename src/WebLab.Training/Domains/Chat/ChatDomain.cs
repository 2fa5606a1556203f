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
    /// <summary>The longest answer row an update scores: a query in the chat template, then an answer, each at its limit.</summary>
    public int? MaxSequence => Lengths.Answer;
    /// <summary>The Challenger's row: Box 1 in the chat template, then a query.</summary>
    public int? MaxChallengerSequence => Lengths.Challenger;
    /// <summary>The longest row generated: the Challenger's, an answer's, or LSP's quality judgement (Box 3 holding a query
    /// and an answer, then the judge's reply).</summary>
    public int? MaxRolloutSequence => Lengths.Rollout;

    int MaxQuery => _o.MaxQueryTokens > 0 ? _o.MaxQueryTokens : 128;
    int MaxAnswer => _o.MaxAnswerTokens > 0 ? _o.MaxAnswerTokens : 256;
    int QualityMax => _o.QualityMaxTokens > 0 ? _o.QualityMaxTokens : 256;

    /// <summary>The rows' lengths in the policy's own tokens (the prompts encoded through its chat template), or, where its
    /// tokenizer or template cannot be read, a 64-token frame and Box 1 and Box 3 at about four characters a token.</summary>
    (int Answer, int Challenger, int Rollout) Lengths
    {
        get
        {
            int box1, box3, frame;
            try
            {
                var key = (Path.GetFullPath(_o.Model!), _o.TemplateFamily, File.GetLastWriteTimeUtc(Path.Combine(_o.Model!, HfTokenizer.TokenizerFile)));
                (box1, box3, frame) = PromptLengths.GetOrAdd(key, _ =>
                {
                    var chat = _tokenizer.Value.Chat ?? throw new InvalidDataException(_tokenizer.Value.ChatUnavailableReason);
                    int Tokens(string user) => _tokenizer.Value.Encode(chat.Render([new ChatMessage("user", user)])).Length;
                    return (Tokens(LspPrompts.Challenger("", "")), Tokens(LspPrompts.Quality("", "")), Tokens(""));
                });
            }
            catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                (box1, box3, frame) = (64 + LspPrompts.Challenger("", "").Length / 4, 64 + LspPrompts.Quality("", "").Length / 4, 64);
            }
            int answer = frame + MaxQuery + MaxAnswer, challenger = box1 + MaxQuery;
            return (answer, challenger, Math.Max(Math.Max(answer, challenger), box3 + MaxQuery + MaxAnswer + QualityMax));
        }
    }

    /// <summary>Box 1's, Box 3's (empty slots) and an empty user turn's token counts, per tokenizer file as it was when read.</summary>
    static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, ChatFamily?, DateTime), (int Box1, int Box3, int Frame)> PromptLengths = new();
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
        var rewardModel = RewardModel.Load(_o.RewardModel, _setup.Device, _setup.FrozenInBf16 ? "bf16" : "fp32", chat: _o.TemplateFamily);
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
