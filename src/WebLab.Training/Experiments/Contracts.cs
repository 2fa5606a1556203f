// The names Training and its hosts share, each written once: sample roles, checkpoint kinds, verdict outcomes and the
// preset every method has. Hosts store and filter by these strings; a typo is a compile error, not an empty chart.
namespace WebLab.Training.Experiments;

/// <summary>Who wrote a sample (<see cref="SampleRecord.Role"/>); stored and served by its wire name (<see cref="SampleRoles"/>).</summary>
public enum SampleRole { Solver, Challenger, Eval, EvalChallenger }

/// <summary>What a checkpoint folder is (<see cref="CheckpointRecord.Kind"/>); stored by its wire name (<see cref="CheckpointKinds"/>).</summary>
public enum CheckpointKind { Latest, Final }

/// <summary>The wire names of <see cref="SampleRole"/>: what hosts store, filter by and serve.</summary>
public static class SampleRoles
{
    /// <summary>An answer to a query (self-play's Solver, GRPO's rollouts); extras: <see cref="SolverExtra"/>.</summary>
    public const string Solver = "solver";
    /// <summary>A query self-play's Challenger wrote; extras: <see cref="ChallengerExtra"/>.</summary>
    public const string Challenger = "challenger";
    /// <summary>An answer to a held-out evaluation item; extras: <see cref="EvalExtra"/>.</summary>
    public const string Eval = "eval";
    /// <summary>An evaluation sample of the Challenger role (does it write valid queries).</summary>
    public const string EvalChallenger = "eval-challenger";

    public static string Name(SampleRole role) => role switch
    {
        SampleRole.Solver => Solver, SampleRole.Challenger => Challenger, SampleRole.Eval => Eval, SampleRole.EvalChallenger => EvalChallenger,
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}

/// <summary>The wire names of <see cref="CheckpointKind"/> (also the folder names under checkpoints/).</summary>
public static class CheckpointKinds
{
    /// <summary>The resumable state (model, optimiser, step), rewritten in place; a finished run deletes it.</summary>
    public const string Latest = "latest";
    /// <summary>The trained model at the end of a run.</summary>
    public const string Final = "final";

    public static string Name(CheckpointKind kind) => kind switch
    {
        CheckpointKind.Latest => Latest, CheckpointKind.Final => Final,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}

/// <summary>A pairwise judge's verdict for the trained model's answer (<see cref="VerdictRecord.Verdict"/>); stored and served
/// by its wire name (<see cref="VerdictOutcomes"/>).</summary>
public enum VerdictOutcome { Win, Tie, Loss }

/// <summary>The wire names of <see cref="VerdictOutcome"/>.</summary>
public static class VerdictOutcomes
{
    public const string Win = "win", Tie = "tie", Loss = "loss";
    public static IReadOnlyList<string> All { get; } = [Win, Tie, Loss];

    public static string Name(VerdictOutcome v) => v switch
    {
        VerdictOutcome.Win => Win, VerdictOutcome.Tie => Tie, VerdictOutcome.Loss => Loss,
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, null),
    };

    /// <summary>The outcome a stored wire name stands for.</summary>
    public static VerdictOutcome Parse(string name) => name switch
    {
        Win => VerdictOutcome.Win, Tie => VerdictOutcome.Tie, Loss => VerdictOutcome.Loss,
        _ => throw new FormatException($"'{name}' is not a verdict; one of {string.Join(", ", All)}"),
    };
}

/// <summary>Preset names.</summary>
public static class PresetNames
{
    /// <summary>The preset every method has: a run that finishes in a minute or two on a laptop CPU (the hosts' default).</summary>
    public const string TinyCpu = "tiny-cpu";
}
