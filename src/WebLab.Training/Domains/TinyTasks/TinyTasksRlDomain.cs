// TinyTasks as an RL domain (self-play, GRPO): family as the {task} slot, the verifier as reward (exact or partial
// credit), the rule-based quality judge, and the verifier as the pairwise judge of evaluation answers. With a testbed,
// training prompts and evaluation items come from its two disjoint shares of the instruction space.
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.TinyTasks;

/// <param name="testbed">Null: the default evaluation splits and their held-out items.</param>
/// <param name="evalSeed">Seed of the evaluation splits (default the fixed one; another draws a second set to recheck on).</param>
public sealed class TinyTasksRlDomain(bool partialCredit, int trainingMaxLevel = TinyTaskLimits.MaxLevel,
    TinyTasksTestbed? testbed = null, int evalSeed = TinyTaskSplits.EvaluationSeed, int trainingMinLevel = TinyTaskLimits.MinLevel) : IRlDomain, IPromptData
{
    static readonly TinyTasksTokenizer Tok = TinyTasksTokenizer.Instance;

    public ITokenizer Tokenizer => Tok;
    public int MaxQueryTokens => TinyTaskLimits.MaxInstructionLength + 1;
    public int MaxAnswerTokens => TinyTasksEvaluator.MaxAnswerTokens;
    public IRewardFunction Reward { get; } = new VerifierReward(partialCredit);
    public IQualityJudge Quality { get; } = new RuleQuality();
    public IPairwiseJudge Judge { get; } = new VerifierJudge();

    public IReadOnlyList<string?> Tasks(bool useTaskSlot) =>
        useTaskSlot ? (testbed?.FamilyList ?? TinyTaskFamilies.All).Select(f => (string?)f.Name).ToList() : [null];

    public Prompt ChallengerPrompt(string? task) => Prompt.Text(Tok.ChallengerPrompt(task));
    public string Query(string? task, int[] completion) => TinyTasksTokenizer.ChallengerInstruction(task, Tok.DecodeCompletion(completion));
    public string Category(string query) => TinyTaskParser.Parse(query).Task is { } t ? t.Family.Name() : QueryCategories.Invalid;
    public int? Level(string query) => TinyTaskParser.Parse(query).Task?.Level;
    public Prompt SolverPrompt(string query) => Prompt.Text(Tok.SolverPrompt(query));
    public string Answer(int[] completion) => Tok.DecodeCompletion(completion);

    /// <summary>GRPO's data: TinyTasks training prompts, levels trainingMinLevel..trainingMaxLevel, held-out items excluded.</summary>
    public string Next(Random rng) =>
        (testbed is null ? TinyTaskSplits.TrainingSample(rng, trainingMinLevel, trainingMaxLevel, e => !IsHeldOut(e.Instruction))
            : testbed.TrainingSample(rng, trainingMinLevel, trainingMaxLevel)).Instruction;

    /// <summary>On a testbed, its held-out share of the space, where every evaluation seed draws (TinyTaskHeldOut); on the
    /// default domain, the level ≥ 3 items of the default evaluation and of this run's evaluation seed.</summary>
    public bool IsHeldOut(string prompt) =>
        testbed is null ? TinyTaskSplits.IsHeldOut(prompt, evalSeed) : TinyTasksTestbed.IsHeldOut(prompt);

    public IReadOnlyList<EvalPrompt> EvaluationSet(int perSplit) =>
        (testbed is null ? TinyTaskSplits.Evaluation(perSplit, evalSeed) : testbed.Evaluation(perSplit, evalSeed))
            .SelectMany(s => s.Items.Select(i => new EvalPrompt(s.Name, i.Instruction))).ToList();

    public string? Expected(string query) => TinyTaskParser.Parse(query).Task?.Answer;
    public bool? IsCorrect(string query, string answer) => TinyTaskVerifier.IsCorrect(query, answer);

    sealed class VerifierReward(bool partial) : TextReward
    {
        public override string Name => partial ? "tinytasks-verifier (partial credit)" : "tinytasks-verifier (exact match)";
        public override double Score(string query, string answer) =>
            partial ? TinyTaskVerifier.PartialCredit(query, answer) : TinyTaskVerifier.Reward(query, answer);
    }

    sealed class RuleQuality : IQualityJudge
    {
        public string Name => TinyTasksQualityJudge.Name;
        public QualityVerdict[] Score(IReadOnlyList<Rollout> rollouts, IPolicy judge) => [.. rollouts.Select(r =>
        {
            var s = TinyTasksQualityJudge.Score(r.Query, r.Answer, r.Stopped);
            return new QualityVerdict(s.Score, "criteria " + s.Criteria);
        })];
    }

    /// <summary>Win when only the trained answer is right, loss when only the base answer is, tie otherwise.</summary>
    sealed class VerifierJudge : IPairwiseJudge
    {
        public string Name => "tinytasks-verifier";
        public (VerdictOutcome, string) Compare(string prompt, string trained, string baseline, bool trainedShownFirst)
        {
            bool t = TinyTaskVerifier.IsCorrect(prompt, trained), b = TinyTaskVerifier.IsCorrect(prompt, baseline);
            var why = $"trained {(t ? "correct" : "wrong")}, base {(b ? "correct" : "wrong")} (expected {TinyTaskParser.Parse(prompt).Task?.Answer ?? "n/a"})";
            return (t == b ? VerdictOutcome.Tie : t ? VerdictOutcome.Win : VerdictOutcome.Loss, why);
        }
    }
}
