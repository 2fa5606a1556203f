// Metric names the methods log and the hosts chart, each written once (TRL's names where they exist).
namespace WebLab.Training.Experiments;

public static class MetricNames
{
    // SFT, every step
    public const string TrainLoss = "train/loss", TrainLr = "train/lr", TrainGradNorm = "train/grad_norm", TrainTokensPerSecond = "train/tokens_per_s";

    // evaluation: accuracy on the held-out splits (SFT, and RL's reward ≥ 1), win rate against the base model (RL)
    public const string EvalAccuracy = "eval/accuracy", EvalChallengerValidFrac = "eval/challenger_valid_frac";
    public const string EvalWinRate = "eval/win_rate", EvalWins = "eval/wins", EvalTies = "eval/ties", EvalLosses = "eval/losses", EvalSignTestP = "eval/sign_test_p";
    public static string EvalAccuracyOf(string split) => $"{EvalAccuracy}/{split}";
    /// <summary>Visual domains: the share of answers in the method's response format, and of see-think answers without a description.</summary>
    public const string EvalFormat = "eval/format", EvalDescriptionMissingFrac = "eval/description/missing_frac";
    public static string EvalWinRateOf(string split) => $"{EvalWinRate}/{split}";

    // RL, every step
    public const string SolverRewardMean = "solver/reward_mean", SolverRewardStd = "solver/reward_std";
    public const string ChallengerRewardMean = "challenger/reward_mean", ChallengerValueMean = "challenger/value_mean", ChallengerValidFrac = "challenger/valid_frac";
    /// <summary>Share of the Challenger's queries that were held-out evaluation items (the Solver never trains on them).</summary>
    public const string ChallengerHeldOutFrac = "challenger/heldout_frac";
    /// <summary>kl/*: the mean sequence log-ratio log πθ − log π_Ref (k1), comparable across KL options; kl/*_estimator: the one in the loss.</summary>
    public const string KlSolver = "kl/solver", KlChallenger = "kl/challenger", KlSolverEstimator = "kl/solver_estimator", KlChallengerEstimator = "kl/challenger_estimator";
    public const string LossSolver = "loss/solver", LossChallenger = "loss/challenger", EntropySolver = "entropy/solver";
    public const string LengthQuery = "length/query", LengthAnswer = "length/answer";
    public const string GroupsZeroStdFrac = "groups/zero_std_frac", GroupsKept = "groups/kept", DataEpoch = "data/epoch";
    public const string QualityMean = "quality/mean", TokensPerSecond = "tokens_per_s";
    /// <summary>Speed by phase (self-play): tokens generated a second while the Challenger and the Solver write (steps 1–2),
    /// and the update's tokens (every scored row, prompt and completion) a second through the loss, its backward and the
    /// optimiser step (steps 5–6), with the seconds of each.</summary>
    public const string RolloutTokensPerSecond = "speed/rollout_tokens_per_s", UpdateTokensPerSecond = "speed/update_tokens_per_s",
        RolloutSeconds = "speed/rollout_s", UpdateSeconds = "speed/update_s", UpdateTokens = "speed/update_tokens";
    /// <summary>Share of R_Q judgements with no readable score (each counted as 0).</summary>
    public const string QualityUnparsableFrac = "quality/unparsable_frac";
    /// <summary>Share of the step's queries in each category (challenger/family/rev, …).</summary>
    public const string ChallengerFamilyPrefix = "challenger/family/";
    public static string ChallengerFamily(string category) => ChallengerFamilyPrefix + category;
    /// <summary>The curriculum (issue 13): mean level of the valid queries, each level's share of them (challenger/level/3, …),
    /// and the Solver's mean reward on the prompts of each level (solver/reward/level_3, …; GRPO too).</summary>
    public const string ChallengerLevelMean = "challenger/level_mean", ChallengerLevelPrefix = "challenger/level/", SolverRewardLevelPrefix = "solver/reward/level_";
    public static string ChallengerLevel(int level) => ChallengerLevelPrefix + level;
    public static string SolverRewardLevel(int level) => SolverRewardLevelPrefix + level;

    // Vision-SR1 and Vision-R1, every step (the names; EasyR1's where it has them)
    public const string RewardOverall = "reward/overall", RewardAccuracy = "reward/accuracy", RewardFormat = "reward/format", RewardDescription = "reward/description";
    public const string Kl = "kl", Loss = "loss", ClipFrac = "clip_frac", Entropy = "entropy", LengthResponse = "length/response";
    public const string DescriptionMissingFrac = "description/missing_frac";
    /// <summary>Evaluation: the Language Shortcut Rate (answer right, description insufficient for the judge), per split too,
    /// and the share of descriptions that state the answer outright.</summary>
    public const string EvalLsr = "eval/lsr", EvalDescriptionStatesAnswer = "eval/description/states_answer";
    /// <summary>The LSR by each judge, whichever the run reports as eval/lsr: the domain's exact oracle and the frozen start model.</summary>
    public const string EvalLsrOracle = "eval/lsr_oracle", EvalLsrStartModel = "eval/lsr_start_model";
    public static string EvalLsrOf(string split) => $"{EvalLsr}/{split}";
}
