// How an RL domain scores what the policy wrote: the task reward R, the quality self-reward R_Q and the pairwise judge of
// evaluation answers. Rewards and the quality judge score a batch of rollouts and get a model to run if they need one
// (Vision-SR1's second pass runs the policy; LSP's quality judge is the reference model prompted as a judge).
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;

namespace WebLab.Training.Domains;

/// <summary>One sampled answer: the query it answers, the prompt the policy read, its completion ids, the decoded answer,
/// and whether it ended with a stop token.</summary>
public sealed record Rollout(string Query, Prompt Prompt, int[] Completion, string Answer, bool Stopped);

/// <summary>R(q, a): the task reward (a verifier here; a reward model or a second pass of the policy later).</summary>
public interface IRewardFunction
{
    string Name { get; }
    /// <summary>One reward per rollout, in order. <paramref name="policy"/> is the model being trained, for rewards that run it.</summary>
    double[] Score(IReadOnlyList<Rollout> rollouts, IPolicy policy);
}

/// <summary>A reward that reads only the query and the answer text (a verifier, a rule), one rollout at a time.</summary>
public abstract class TextReward : IRewardFunction
{
    public abstract string Name { get; }
    public abstract double Score(string query, string answer);
    public double[] Score(IReadOnlyList<Rollout> rollouts, IPolicy policy) => [.. rollouts.Select(r => Score(r.Query, r.Answer))];
}

/// <summary>One R_Q: the score, the judge's rationale, and whether a score could be read from it (an unparsable judgement
/// scores 0 and is counted).</summary>
public sealed record QualityVerdict(double Score, string Rationale, bool Parsed = true);

/// <summary>R_Q(q, a) on the paper's additive 0–7 scale, with the judge's rationale; <paramref name="judge"/> in Score is the
/// model LSP prompts as the judge (its reference), for judges that run one.</summary>
public interface IQualityJudge
{
    string Name { get; }
    QualityVerdict[] Score(IReadOnlyList<Rollout> rollouts, IPolicy judge);
}

/// <summary>Compares the trained model's answer with the base model's: a <see cref="Experiments.VerdictOutcome"/> for the trained one.</summary>
public interface IPairwiseJudge
{
    string Name { get; }
    (VerdictOutcome Verdict, string Rationale) Compare(string prompt, string trainedAnswer, string baseAnswer, bool trainedShownFirst);

    /// <summary>Every comparison at once, in order (a remote judge runs them concurrently); one by one by default.</summary>
    IReadOnlyList<(VerdictOutcome Verdict, string Rationale)> CompareAll(IReadOnlyList<PairwiseComparison> items) =>
        [.. items.Select(i => Compare(i.Prompt, i.TrainedAnswer, i.BaseAnswer, i.TrainedShownFirst))];
}

public sealed record PairwiseComparison(string Prompt, string TrainedAnswer, string BaseAnswer, bool TrainedShownFirst);
