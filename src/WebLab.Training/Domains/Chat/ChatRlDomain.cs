// The chat domain as the RL recipes see it: Box 1 as the Challenger's user message and each query as the Solver's,
// both through the model's chat template; the reward model's score as R(q, a); the reference answering Box 3 as R_Q;
// the imported evaluation set, first perSplit items of each split in file order.
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.Chat;

public sealed class ChatRlDomain(HfTokenizer tokenizer, ChatTemplate chat, RewardModel rewardModel, IReadOnlyList<EvalPrompt> evalSet,
    IPairwiseJudge judge, int maxQueryTokens, int maxAnswerTokens, int qualityMaxTokens) : IRlDomain, IDisposable
{
    public const string Instruction = "instruction", Invalid = QueryCategories.Invalid;

    public ITokenizer Tokenizer => tokenizer;
    public int MaxQueryTokens => maxQueryTokens;
    public int MaxAnswerTokens => maxAnswerTokens;
    public IRewardFunction Reward { get; } = new RewardModelReward(rewardModel);
    public IQualityJudge Quality { get; } = new ChatQualityJudge(tokenizer, chat, qualityMaxTokens);
    public IPairwiseJudge Judge => judge;

    /// <summary>Open-ended instruction following: the task and template slots stay empty, as the paper implies.</summary>
    public IReadOnlyList<string?> Tasks(bool useTaskSlot) => [null];

    public Prompt ChallengerPrompt(string? task) => UserTurn(LspPrompts.Challenger(task ?? "", ""));
    public string Query(string? task, int[] completion) => Answer(completion);
    public string Category(string query) => query.Length == 0 ? Invalid : Instruction;
    public Prompt SolverPrompt(string query) => UserTurn(query);

    /// <summary>The completion's text without its stop token, trimmed.</summary>
    public string Answer(int[] completion) =>
        tokenizer.Decode(completion.Length > 0 && completion[^1] == tokenizer.EosId ? completion[..^1] : completion).Trim();

    readonly HashSet<string> heldOut = [.. evalSet.Select(p => ChatDomain.HeldOutKey(p.Prompt))];

    /// <summary>Any prompt of the evaluation set (every item of the file, not only the first perSplit), compared after
    /// normalising whitespace and case.</summary>
    public bool IsHeldOut(string prompt) => heldOut.Contains(ChatDomain.HeldOutKey(prompt));

    public IReadOnlyList<EvalPrompt> EvaluationSet(int perSplit) =>
        [.. evalSet.GroupBy(p => p.Split).SelectMany(g => g.Take(perSplit))];

    Prompt UserTurn(string text) => Prompt.Text(tokenizer.Encode(chat.Render([new ChatMessage("user", text)])));

    public void Dispose() => rewardModel.Dispose();
}

/// <summary>R(q, a): the reward model's score of the conversation [user: q, assistant: a].</summary>
public sealed class RewardModelReward(RewardModel model) : IRewardFunction
{
    public string Name => "reward-model";
    public double[] Score(IReadOnlyList<Rollout> rollouts, IPolicy policy) =>
        [.. model.Score([.. rollouts.Select(r => (r.Query, r.Answer))]).Select(s => (double)s)];
}

/// <summary>The reward model as the pairwise judge when no LLM judge is chosen: the higher score wins, equal scores tie.</summary>
public sealed class RewardModelJudge(RewardModel model) : IPairwiseJudge
{
    public string Name => "reward-model";

    public (VerdictOutcome Verdict, string Rationale) Compare(string prompt, string trainedAnswer, string baseAnswer, bool trainedShownFirst) =>
        CompareAll([new PairwiseComparison(prompt, trainedAnswer, baseAnswer, trainedShownFirst)])[0];

    public IReadOnlyList<(VerdictOutcome Verdict, string Rationale)> CompareAll(IReadOnlyList<PairwiseComparison> items)
    {
        var scores = model.Score([.. items.SelectMany(i => new[] { (i.Prompt, i.TrainedAnswer), (i.Prompt, i.BaseAnswer) })]);
        return [.. items.Select((_, k) =>
        {
            float t = scores[2 * k], b = scores[2 * k + 1];
            var verdict = t > b ? Experiments.VerdictOutcome.Win : t < b ? Experiments.VerdictOutcome.Loss : Experiments.VerdictOutcome.Tie;
            return (verdict, $"reward model: trained {t:F3}, base {b:F3}");
        })];
    }
}

/// <summary>An LLM judge (Judges/LlmJudge) as the pairwise judge of evaluation answers; its failure stops the evaluation.</summary>
public sealed class LlmPairwiseJudge(Judges.LlmJudge judge) : IPairwiseJudge
{
    public string Name => judge.Name;

    public (VerdictOutcome Verdict, string Rationale) Compare(string prompt, string trainedAnswer, string baseAnswer, bool trainedShownFirst) =>
        CompareAll([new PairwiseComparison(prompt, trainedAnswer, baseAnswer, trainedShownFirst)])[0];

    public IReadOnlyList<(VerdictOutcome Verdict, string Rationale)> CompareAll(IReadOnlyList<PairwiseComparison> items)
    {
        // the training thread waits here (no dispose scope is open during judging); requests run concurrently
        var verdicts = judge.JudgeAsync([.. items.Select(i => new Judges.PairwiseItem(i.Prompt, i.TrainedAnswer, i.BaseAnswer))]).GetAwaiter().GetResult();
        return [.. verdicts.Select(v => (v.Verdict, v.Rationale))];
    }
}

/// <summary>
/// LSP's quality self-reward: the reference model answers Box 3 for each (query, answer) greedily and the total between
/// &lt;Score&gt; tags is R_Q (0–7); a judgement without a readable score counts 0 and is marked unparsed. Prompts longer
/// than the judge can read are marked the same way, with the reason.
/// </summary>
public sealed class ChatQualityJudge(HfTokenizer tokenizer, ChatTemplate chat, int maxTokens) : IQualityJudge
{
    const int BatchSize = 16;
    public string Name => "lsp-box3 (reference model)";

    public QualityVerdict[] Score(IReadOnlyList<Rollout> rollouts, IPolicy judge)
    {
        var verdicts = new QualityVerdict[rollouts.Count];
        var prompts = rollouts.Select(r => tokenizer.Encode(chat.Render([new ChatMessage("user", LspPrompts.Quality(r.Query, r.Answer))]))).ToArray();
        var fits = Enumerable.Range(0, prompts.Length).Where(i => prompts[i].Length + 1 < judge.MaxPositions).ToArray();
        foreach (var i in Enumerable.Range(0, prompts.Length).Except(fits))
            verdicts[i] = new QualityVerdict(0, $"not judged: the Box 3 prompt has {prompts[i].Length} tokens, the judge reads {judge.MaxPositions}", Parsed: false);
        var options = new GenerationOptions
        {
            MaxNewTokens = maxTokens, Temperature = 0, StopTokens = [tokenizer.EosId],
        };
        foreach (var chunk in fits.Chunk(BatchSize))
        {
            var room = judge.MaxPositions - chunk.Max(i => prompts[i].Length);
            var result = BatchGenerator.Generate(judge, [.. chunk.Select(i => Prompt.Text(prompts[i]))], options with { MaxNewTokens = Math.Min(maxTokens, room) }, tokenizer.PadId);
            for (int k = 0; k < chunk.Length; k++)
            {
                var text = tokenizer.Decode(result.Completions[k].Where(t => t != tokenizer.EosId));
                verdicts[chunk[k]] = LspPrompts.ParseScore(text) is { } s ? new QualityVerdict(s, text) : new QualityVerdict(0, text, Parsed: false);
            }
        }
        return verdicts;
    }
}
