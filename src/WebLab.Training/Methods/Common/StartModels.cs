// The models a run starts from: the parent's checkpoint for follow-on runs, else the domain's base model; the policy
// (the saved state when resuming) and the frozen reference π_Ref of the KL term (always the start model).
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Models;

namespace WebLab.Training.Methods.Common;

public static class StartModels
{
    /// <summary>The parent's checkpoint for follow-on runs, else the domain's base model.</summary>
    public static IPolicy Start(ExperimentContext context, IDomain domain) =>
        context.ParentCheckpoint is { } dir ? ModelFamilies.Load(dir, context.Device) : domain.LoadBaseModel(context.Device);

    /// <summary>The model to train: the run's saved state when it resumes, else the start model; in the run's precision.</summary>
    public static IPolicy Policy(ExperimentContext context, IDomain domain) => Precisions.Trained(
        context.Resume is { } resume ? ModelFamilies.Load(resume.Directory, context.Device) : Start(context, domain), PrecisionOf(context), context.Device);

    /// <summary>The start model again, frozen: the reference π_Ref of the KL term (never the resumed state); held in bf16
    /// under bf16-mixed.</summary>
    public static IPolicy FrozenStart(ExperimentContext context, IDomain domain)
    {
        var model = Start(context, domain);
        foreach (var p in model.parameters()) p.requires_grad = false;
        return Precisions.Frozen(model, PrecisionOf(context), context.Device);
    }

    /// <summary>The domain's base model as the evaluation opponent, frozen like the reference.</summary>
    public static IPolicy Opponent(ExperimentContext context, IDomain domain)
    {
        var model = domain.LoadBaseModel(context.Device);
        foreach (var p in model.parameters()) p.requires_grad = false;
        return Precisions.Frozen(model, PrecisionOf(context), context.Device);
    }

    static Precision PrecisionOf(ExperimentContext context) => (context.Options as TrainingOptions)?.Precision ?? Precision.Auto;
}
