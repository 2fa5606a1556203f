// The models a run starts from: the parent's checkpoint for follow-on runs, else the domain's base model; the policy
// (the saved state when resuming) and the frozen reference π_Ref of the KL term (always the start model).
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using TorchSharp;
using WebLab.Training.Models;
using WebLab.Training.Models.Lora;

namespace WebLab.Training.Methods.Common;

public static class StartModels
{
    /// <summary>The parent's checkpoint for follow-on runs, else the domain's base model.</summary>
    public static IPolicy Start(ExperimentContext context, IDomain domain) =>
        context.ParentCheckpoint is { } dir ? ModelFamilies.Load(dir, context.Device) : domain.LoadBaseModel(context.Device);

    /// <summary>The model to train: the run's saved state when it resumes, else the start model; in the run's precision.
    /// With LoRA: the start model with adapters attached (A drawn from the run's seed), their saved weights when it resumes.</summary>
    public static IPolicy Policy(ExperimentContext context, IDomain domain)
    {
        var o = context.Options as TrainingOptions;
        IPolicy model;
        if (o?.Lora() is { } lora) model = WithAdapters(Start(context, domain), o, lora, context.Device, context.Resume?.Directory);
        else model = context.Resume is { } resume ? ModelFamilies.Load(resume.Directory, context.Device) : Start(context, domain);
        return Precisions.Trained(model, PrecisionOf(context), context.Device, o?.ActivationCheckpointing == true);
    }

    /// <summary>
    /// <paramref name="start"/> with LoRA adapters attached, as every method trains them: the frozen base held in bf16 under
    /// bf16-mixed (it needs no fp32 master; the adapters train in fp32), A drawn from the run's seed (the same in every
    /// process), and the adapter saved in <paramref name="savedState"/> loaded when the run resumes.
    /// </summary>
    public static IPolicy WithAdapters(IPolicy start, TrainingOptions o, LoraConfig lora, string device, string? savedState)
    {
        if (Precisions.Resolve(o.Precision, device) == Precision.Bf16Mixed) start.HoldWeightsIn(torch.ScalarType.BFloat16);
        torch.manual_seed(o.Seed);
        LoraAdapters.Attach((torch.nn.Module)start, lora);
        if (savedState is not null) LoraAdapters.LoadWeights((torch.nn.Module)start, savedState);
        return start;
    }

    /// <summary>The reference π_Ref: the start model frozen, or with LoRA the policy itself with its adapters off (the same
    /// network as the start model, no second copy).</summary>
    public static IPolicy Reference(ExperimentContext context, IDomain domain, IPolicy policy) =>
        LoraAdapters.ConfigOf(policy) is not null ? new AdaptersOff(policy) : FrozenStart(context, domain);

    /// <summary>The start model again, frozen: the reference π_Ref of the KL term (never the resumed state); held in bf16
    /// under bf16-mixed.</summary>
    public static IPolicy FrozenStart(ExperimentContext context, IDomain domain)
    {
        var model = Start(context, domain);
        foreach (var p in model.parameters()) p.requires_grad = false;
        return Precisions.Frozen(model, PrecisionOf(context), context.Device);
    }

    /// <summary>The domain's base model as the evaluation opponent, frozen like the reference; a LoRA run with no parent
    /// starts from that very model, so its opponent is the policy with its adapters off (no second copy).</summary>
    public static IPolicy Opponent(ExperimentContext context, IDomain domain, IPolicy policy)
    {
        if (LoraAdapters.ConfigOf(policy) is not null && context.ParentCheckpoint is null) return new AdaptersOff(policy);
        var model = domain.LoadBaseModel(context.Device);
        foreach (var p in model.parameters()) p.requires_grad = false;
        return Precisions.Frozen(model, PrecisionOf(context), context.Device);
    }

    static Precision PrecisionOf(ExperimentContext context) => (context.Options as TrainingOptions)?.Precision ?? Precision.Auto;
}
