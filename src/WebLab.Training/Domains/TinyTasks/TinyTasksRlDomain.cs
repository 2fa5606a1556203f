// TinyTasks as an RL domain (self-play, GRPO): family as the {task} slot, the verifier as reward (exact or partial
// credit), the rule-based quality judge, and the verifier as the pairwise judge of evaluation answers.
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.TinyTasks;

public sealed class TinyTasksRlDomain(bool partialCredit, int trainingMaxLevel = TinyTaskLimits.MaxLevel) : IRlDomain
{
    static readonly TinyTasksTokenizer Tok = TinyTasksTokenizer.Instance;

    public ITokenizer Tokenizer => Tok;
    public int MaxQueryTokens => TinyTaskLimits.MaxInstructionLength + 1;
    public int MaxAnswerTokens => TinyTasksEvaluator.MaxAnswerTokens;
    public IRewardFunction Reward { get; } = new VerifierReward(partialCredit);
    public IQualityJudge Quality { get; } = new RuleQuality();
    public IPairwiseJudge Judge { get; } = new VerifierJudge();

    public IReadOnlyList<string?> Tasks(bool useTaskSlot) =>
        useTaskSlot ? TinyTaskFamilies.All.Select(f => (string?)f.Name).ToList() : [null];

    public Prompt ChallengerPrompt(string? task) => Prompt.Text(Tok.ChallengerPrompt(task));
    public string Query(string? task, int[] completion) => TinyTasksTokenizer.ChallengerInstruction(task, Tok.DecodeCompletion(completion));
    public string Category(string query) => TinyTaskParser.Parse(query).Task is { } t ? t.Family.Name() : "invalid";
    public Prompt SolverPrompt(string query) => Prompt.Text(Tok.SolverPrompt(query));
    public string Answer(int[] completion) => Tok.DecodeCompletion(completion);

    /// <summary>GRPO's data: TinyTasks training prompts, levels 1..trainingMaxLevel, held-out items excluded.</summary>
    public string TrainingPrompt(Random rng) => TinyTaskSplits.TrainingSample(rng, trainingMaxLevel).Instruction;

    public IReadOnlyList<EvalPrompt> EvaluationSet(int perSplit) =>
        TinyTaskSplits.Evaluation(perSplit).SelectMany(s => s.Items.Select(i => new EvalPrompt(s.Name, i.Instruction))).ToList();

    sealed class VerifierReward(bool partial) : TextReward
    {
        public override string Name => partial ? "tinytasks-verifier (partial credit)" : "tinytasks-verifier (exact match)";
        public override double Score(string query, string answer) =>
            partial ? TinyTaskVerifier.PartialCredit(query, answer) : TinyTaskVerifier.Reward(query, answer);
    }

    sealed class RuleQuality : IQualityJudge
    {
        public string Name => TinyTasksQualityJudge.Name;
        public (double, string)[] Score(IReadOnlyList<Rollout> rollouts, IPolicy judge) => [.. rollouts.Select(r =>
        {
            var s = TinyTasksQualityJudge.Score(r.Query, r.Answer, r.Stopped);
            return ((double)s.Score, "criteria " + s.Criteria);
        })];
    }

    /// <summary>Win when only the trained answer is right, loss when only the base answer is, tie otherwise.</summary>
    sealed class VerifierJudge : IPairwiseJudge
    {
        public string Name => "tinytasks-verifier";
        public (string, string) Compare(string prompt, string trained, string baseline, bool trainedShownFirst)
        {
            bool t = TinyTaskVerifier.IsCorrect(prompt, trained), b = TinyTaskVerifier.IsCorrect(prompt, baseline);
            var why = $"trained {(t ? "correct" : "wrong")}, base {(b ? "correct" : "wrong")} (expected {TinyTaskParser.Parse(prompt).Task?.Answer ?? "n/a"})";
            return (t == b ? VerdictOutcomes.Tie : t ? VerdictOutcomes.Win : VerdictOutcomes.Loss, why);
        }
    }
}
