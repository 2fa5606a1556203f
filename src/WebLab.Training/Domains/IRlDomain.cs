// What the RL recipes (self-play, GRPO) need from a domain: prompt formats, a reward, a quality judge, a pairwise judge,
// training prompts and a held-out evaluation set. TinyTasks implements it today; chat and visual domains plug in
// without touching the algorithm code (their catalog entry, IDomain, hands it out).
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains;

/// <summary>R(q, a): the task reward (a verifier here; a reward model later).</summary>
public interface IRewardFunction
{
    string Name { get; }
    double Score(string query, string answer);
}

/// <summary>R_Q(q, a) on the paper's additive 0–7 scale, with the judge's rationale.</summary>
public interface IQualityJudge
{
    string Name { get; }
    (double Score, string Rationale) Score(string query, string answer, bool answerStopped);
}

/// <summary>Compares the trained model's answer with the base model's: "win" | "tie" | "loss" for the trained one.</summary>
public interface IPairwiseJudge
{
    string Name { get; }
    (string Verdict, string Rationale) Compare(string prompt, string trainedAnswer, string baseAnswer, bool trainedShownFirst);
}

/// <summary>One held-out evaluation prompt.</summary>
public sealed record EvalPrompt(string Split, string Prompt);

public interface IRlDomain
{
    ITokenizer Tokenizer { get; }
    /// <summary>Values for the challenger prompt's {task} slot (used round-robin), or [null] for an empty slot.</summary>
    IReadOnlyList<string?> Tasks(bool useTaskSlot);
    int[] ChallengerPrompt(string? task);
    /// <summary>The query the Challenger wrote, from its decoded completion.</summary>
    string Query(string? task, int[] completion);
    /// <summary>Category of a query for the task-share chart (e.g. the TinyTasks family), or "invalid".</summary>
    string Category(string query);
    /// <summary>Difficulty level of a valid query (for the curriculum charts), or null when invalid or the domain has no levels.</summary>
    int? Level(string query) => null;
    int[] SolverPrompt(string query);
    string Answer(int[] completion);
    int MaxQueryTokens { get; }
    int MaxAnswerTokens { get; }
    IRewardFunction Reward { get; }
    IQualityJudge Quality { get; }
    IPairwiseJudge Judge { get; }
    /// <summary>A data prompt for GRPO (the dataset the paper's baseline trains on).</summary>
    string TrainingPrompt(Random rng);
    IReadOnlyList<EvalPrompt> EvaluationSet(int perSplit);
}
