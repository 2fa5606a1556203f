// The memory plan of a run before it is queued: its policy's shape read from the start model's config.json (the domain's
// base), the method's memory shape (sequences per update and per rollout, frozen copies), the domain's sequence limit and
// frozen networks (a reward model), and the options (precision, LoRA). Models/MemoryPlan does the arithmetic.
using WebLab.Training.Domains;
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Models.Qwen25Vl;
using WebLab.Training.Models.TinyVlm;

namespace WebLab.Training.Methods.Common;

public static class RunPlans
{
    /// <summary>The plan of <paramref name="spec"/> on its configured <paramref name="domain"/> and <paramref name="device"/>;
    /// null when the start model's shape cannot be read (a domain without a base folder, a folder without a config).</summary>
    public static MemoryPlan? Of(RunSpec spec, IDomain domain, string device)
    {
        if (spec.Options is not TrainingOptions o || domain.BaseModelFolder is not { } folder || Network(folder) is not { } policy) return null;
        var shape = spec.Method.MemoryShape(spec.Options);
        var lora = o.Adapter == Adapter.Lora;
        int sequence = Math.Min(policy.Text.MaxPositions, domain.MaxSequence ?? policy.Text.MaxPositions);
        int rolloutSequence = Math.Min(policy.Text.MaxPositions, domain.MaxRolloutSequence ?? sequence);
        var frozen = domain.FrozenModelFolders.Select(Network).OfType<PlannedNetwork>().ToList();
        var settings = new PlanSettings(
            Bf16: Precisions.Resolve(o.Precision, device) == Precision.Bf16Mixed,
            LoraRank: lora ? o.LoraRank : 0, LoraTargets: o.LoraTargets,
            FrozenCopies: lora ? 0 : shape.FrozenCopies,                    // a LoRA run's reference and opponent are its policy
            Frozen: frozen, Rows: shape.Rows, Sequence: sequence, RolloutRows: shape.RolloutRows, RolloutSequence: rolloutSequence,
            Checkpointing: o.ActivationCheckpointing, LoraDropout: lora ? o.LoraDropout : 0, ImagePatches: domain.MaxImagePatches ?? 0);
        if (shape.ChallengerRows == 0) return MemoryPlan.Of(policy, settings);
        // self-play: the Challenger's rows (its prompt and a query) beside the answers, or in micro-batches of their own
        int challenger = Math.Min(policy.Text.MaxPositions, domain.MaxChallengerSequence ?? sequence);
        if (!shape.MicroBatched) return MemoryPlan.Of(policy, settings with { Groups = [(shape.Rows, sequence), (shape.ChallengerRows, challenger)] });
        var answers = MemoryPlan.Of(policy, settings);
        var queries = MemoryPlan.Of(policy, settings with { Groups = [(shape.ChallengerRows, challenger)] });
        return answers.Activations >= queries.Activations ? answers : queries;
    }

    /// <summary>A folder's network shape from its config.json: a Llama-family decoder, or a VLM's decoder and tower (the tiny
    /// VLM's, Qwen2.5-VL's).</summary>
    public static PlannedNetwork? Network(string folder)
    {
        try
        {
            if (ModelFamilies.ModelType(folder) == Qwen25VlConfig.Type)
            {
                var qwen = Qwen25VlConfig.FromJson(File.ReadAllText(Path.Combine(folder, "config.json")));
                var v = qwen.Vision;
                long dv = v.HiddenSize, fi = v.IntermediateSize, merged = dv * v.SpatialMergeSize * v.SpatialMergeSize, d = qwen.Text.HiddenSize;
                long block = 2 * dv + (3 * dv * dv + 3 * dv) + (dv * dv + dv) + 3 * dv * fi + 2 * fi + dv;    // norms, qkv, proj, SwiGLU with biases
                long tower = v.PatchInputs * dv + v.Depth * block + dv + (merged * merged + merged) + (merged * d + d);
                int unit = v.SpatialMergeSize * v.SpatialMergeSize;
                return new(qwen.Text, tower, new PlannedVision(v.Depth, v.HiddenSize, v.IntermediateSize, v.NumHeads,
                    v.MergedWindow * v.MergedWindow * unit, v.FullAttentionBlocks.Length, unit));
            }
            if (ModelFamilies.ModelType(folder) == TinyVlmConfig.Type)
            {
                var vlm = TinyVlmConfig.FromJson(File.ReadAllText(Path.Combine(folder, "config.json")));
                var v = vlm.Vision;
                long dv = v.HiddenSize, fi = v.IntermediateSize, patch = v.Channels * v.PatchSize * (long)v.PatchSize;
                long tower = patch * dv + dv + v.Patches * dv + v.NumLayers * (4 * dv + 3 * dv * dv + 3 * dv + dv * dv + dv + 2 * dv * fi + fi + dv) + 2 * dv;
                long projector = dv * vlm.Text.HiddenSize + vlm.Text.HiddenSize + vlm.Text.HiddenSize * (long)vlm.Text.HiddenSize + vlm.Text.HiddenSize;
                return new(vlm.Text, tower + projector);
            }
            var config = HfCheckpoint.LoadConfig(folder);
            // a reward model (sequence classification) has a score head of num_labels rows, not an output head over the vocabulary
            return config.Architectures?.Any(a => a.EndsWith("ForSequenceClassification", StringComparison.Ordinal)) == true
                ? new(config with { TieWordEmbeddings = true }, (config.NumLabels ?? 1) * (long)config.HiddenSize)
                : new(config);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException) { return null; }
    }
}

/// <summary>A run's plan against the memory its device has: whether it fits, and the changes of options that would make
/// it fit, each with its plan.</summary>
public sealed record PlanVerdict(MemoryPlan Plan, long? Available, IReadOnlyList<PlanAlternative> Alternatives)
{
    public bool Fits => Available is not { } a || Plan.Total <= a;

    /// <summary>A refusal in words, naming the fields to change, or null when the plan fits (or the device's memory is unknown).</summary>
    public string? Refusal => Fits ? null
        : $"the run needs about {MemoryPlan.Format(Plan.Total)} at its peak ({Plan.Breakdown}) and the device has {MemoryPlan.Format(Available!.Value)}; "
          + (Alternatives.FirstOrDefault(a => a.Fits) is { } fit
              ? "it fits with " + string.Join("; or ", Alternatives.Where(a => a.Fits).Select(a => $"{a.Change} ({MemoryPlan.Format(a.Plan.Total)})"))
              : "no change of precision, adapter, checkpointing or micro-batch makes it fit: a smaller model, or shorter sequences");
}

/// <summary>A change of options (as the API writes it, e.g. "adapter=Lora") and the plan it gives.</summary>
public sealed record PlanAlternative(string Change, IReadOnlyList<string> Fields, MemoryPlan Plan, bool Fits);

public static class PlanVerdicts
{
    /// <summary>The plan of <paramref name="spec"/>, and when it does not fit <paramref name="available"/> bytes, the changes of
    /// precision and adapter that would (null when the start model's shape cannot be read).</summary>
    public static PlanVerdict? Of(RunSpec spec, IDomain domain, string device, long? available)
    {
        if (RunPlans.Of(spec, domain, device) is not { } plan) return null;
        if (available is not { } bytes || plan.Total <= bytes || spec.Options is not TrainingOptions o) return new(plan, available, []);
        var changes = new List<(string Change, string[] Fields, TrainingOptions Options)>();
        var bf16 = Precisions.Resolve(o.Precision, device) == Precision.Bf16Mixed;
        if (!bf16) changes.Add(("precision=Bf16Mixed", ["precision"], o with { Precision = Precision.Bf16Mixed }));
        if (o.Adapter != Adapter.Lora)
        {
            changes.Add(("adapter=Lora", ["adapter"], o with { Adapter = Adapter.Lora }));
            if (!bf16) changes.Add(("adapter=Lora and precision=Bf16Mixed", ["adapter", "precision"], o with { Adapter = Adapter.Lora, Precision = Precision.Bf16Mixed }));
        }
        if (!o.ActivationCheckpointing) changes.Add(("activationCheckpointing=true", ["activationCheckpointing"], o with { ActivationCheckpointing = true }));
        var alternatives = changes.Select(c => RunPlans.Of(spec with { Options = c.Options }, domain, device) is { } p
            ? new PlanAlternative(c.Change, c.Fields, p, p.Total <= bytes) : null).OfType<PlanAlternative>().ToList();
        if (o is IMicroBatched m && SmallerMicroBatch(spec, m, domain, device, bytes) is { } smaller) alternatives.Add(smaller);
        return new(plan, available, alternatives);
    }

    /// <summary>The largest micro-batch, halving from the update's rows (32 → 16, 8, 4, 2, 1), whose plan fits; or, when none
    /// does, micro-batches of one (with its plan, not fitting).</summary>
    static PlanAlternative? SmallerMicroBatch(RunSpec spec, IMicroBatched m, IDomain domain, string device, long bytes)
    {
        int rows = spec.Method.MemoryShape(spec.Options).Rows;
        PlanAlternative? last = null;
        for (int k = rows / 2; k >= 1; k /= 2)
        {
            if (RunPlans.Of(spec with { Options = m.WithMicroBatch(k) }, domain, device) is not { } p) return null;
            last = new PlanAlternative($"microBatch={k}", ["microBatch"], p, p.Total <= bytes);
            if (last.Fits) return last;
        }
        return last;
    }
}
