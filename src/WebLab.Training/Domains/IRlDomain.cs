// What the RL recipes (self-play, GRPO) need from a domain: prompt formats, a reward, a quality judge, a pairwise judge
// (Domains/Rewards.cs) and a held-out evaluation set. A domain that offers a self-play game (ISelfPlayGame) hands it out;
// TinyTasks and chat do. Training prompts the domain draws itself are a view of their own (IPromptSource).
using WebLab.Training.Generation;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains;

/// <summary>The category every RL domain gives a query that is not one (the Challenger's invalid queries).</summary>
public static class QueryCategories
{
    public const string Invalid = "invalid";
}

/// <summary>One held-out evaluation prompt.</summary>
public sealed record EvalPrompt(string Split, string Prompt);

public interface IRlDomain
{
    ITokenizer Tokenizer { get; }
    /// <summary>Values for the challenger prompt's {task} slot (used round-robin), or [null] for an empty slot.</summary>
    IReadOnlyList<string?> Tasks(bool useTaskSlot);
    Prompt ChallengerPrompt(string? task);
    /// <summary>The query the Challenger wrote, from its decoded completion.</summary>
    string Query(string? task, int[] completion);
    /// <summary>Category of a query for the task-share chart (e.g. the TinyTasks family), or <see cref="QueryCategories.Invalid"/>.</summary>
    string Category(string query);
    /// <summary>Difficulty level of a valid query (for the curriculum charts), or null when invalid or the domain has no levels.</summary>
    int? Level(string query) => null;
    Prompt SolverPrompt(string query);
    string Answer(int[] completion);
    int MaxQueryTokens { get; }
    int MaxAnswerTokens { get; }
    IRewardFunction Reward { get; }
    IQualityJudge Quality { get; }
    IPairwiseJudge Judge { get; }
    /// <summary>The held-out rule: true when <paramref name="prompt"/> is an evaluation item (or in the domain's held-out
    /// share), which nothing a method trains on may be: GRPO's prompts, an imported prompt set, every Challenger query.</summary>
    bool IsHeldOut(string prompt);
    IReadOnlyList<EvalPrompt> EvaluationSet(int perSplit);
    /// <summary>The reference answer to a query, for reviewers (null when the domain has none, as chat).</summary>
    string? Expected(string query) => null;
    /// <summary>Whether an answer is right (null when the domain cannot say).</summary>
    bool? IsCorrect(string query, string answer) => null;
}
