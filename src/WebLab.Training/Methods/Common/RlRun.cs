// What an RL method's Run sets up around its recipe, and how it ends: the policy, the frozen reference, the domain's
// base model as the evaluation opponent, the domain's RL view and the evaluation loop; at the end, the final checkpoint.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.Common;

public sealed class RlRun : IDisposable
{
    public required IPolicy Policy { get; init; }
    public required IPolicy Reference { get; init; }
    public required IPolicy Base { get; init; }
    public required IRlDomain Domain { get; init; }
    public required WinRateEvaluation Evaluation { get; init; }
    public required Checkpointing Checkpointing { get; init; }
    /// <summary>The Hugging Face folder the policy came from (chat domain), whose tokenizer files go with the final checkpoint.</summary>
    public string? ModelFolder { get; init; }
    /// <summary>The run's domain with its options (the source of every view the method asks for).</summary>
    public required IDomain Source { get; init; }
    /// <summary>What the RL view was made with (levels, evaluation seed, partial credit).</summary>
    public required RlDomainSettings Settings { get; init; }

    /// <summary>Loads the models of <paramref name="context"/> (policy, reference, base, in that order) and its domain's self-play game.</summary>
    public static RlRun Start(ExperimentContext context, RlOptions o, int? trainingMaxLevel = null, int? trainingMinLevel = null)
    {
        var game = context.DomainAs<ISelfPlayGame>();                       // the host configured it with the run's domain options
        var domain = (IDomain)game;
        var settings = new RlDomainSettings(o.PartialCredit, trainingMaxLevel, o.EvalSeed, trainingMinLevel);
        IPolicy? policy = null, reference = null, baseModel = null;
        IRlDomain? rl = null;
        try
        {
            policy = StartModels.Policy(context, domain);
            reference = StartModels.Reference(context, domain, policy);
            baseModel = StartModels.Opponent(context, domain, policy);
            rl = game.Rl(settings);
            return new()
            {
                Policy = policy, Reference = reference, Base = baseModel, Domain = rl,
                Evaluation = new WinRateEvaluation(rl, baseModel, o.EvalPerSplit, o.EvalTemperature, o.Seed, context.Log),
                Checkpointing = Checkpointing.Of(context, o.CheckpointEvery),
                ModelFolder = domain.TokenizerFolder,
                Source = domain, Settings = settings,
            };
        }
        catch
        {
            (rl as IDisposable)?.Dispose();
            baseModel?.Dispose();
            reference?.Dispose();                                            // a model that failed to load leaves none behind
            policy?.Dispose();
            throw;
        }
    }

    /// <summary>The trained policy as the run's final checkpoint.</summary>
    public void Finish(ExperimentContext context, long step) => FinalCheckpoint.Save(Policy, context, step, ModelFolder);

    public void Dispose()
    {
        (Domain as IDisposable)?.Dispose();                                  // a domain's own models (the chat domain's reward model)
        Base.Dispose();
        Reference.Dispose();
        Policy.Dispose();
    }
}
