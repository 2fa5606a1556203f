// What the API and the hub send: plain records built from the rows.
using System.Text.Json.Nodes;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;

namespace WebLab.Web.Features.Experiments;

/// <param name="Device">"cpu" or "cuda:N"; null for the lab's default. Without local workers, any device a worker may serve
/// (the run waits for one); with them, one of this host's.</param>
public sealed record CreateExperimentRequest(string? Name, string? Method, string? Preset, JsonObject? Overrides, long? ParentExperimentId,
    string? Notes = null, string[]? Tags = null, string? Device = null);
/// <summary>PATCH body: the fields to change (null = leave; notes "" = clear; tags [] = clear).</summary>
public sealed record EditExperimentRequest(string? Name, string? Notes, string[]? Tags = null);
public sealed record CreatedExperiment(long Id);
public sealed record ResumedExperiment(long Id, long ResumedAfterStep);

public sealed record ExperimentDto(
    long Id, string Name, string Method, string? Preset, string Status, string Device,
    long Step, long TotalSteps, double? EtaSeconds, string? Error, long? ParentExperimentId,
    DateTimeOffset CreatedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt,
    string? HeadlineMetricName, double? HeadlineMetricValue, JsonNode? Config, string? Notes, JsonNode? Provenance = null,
    IReadOnlyList<string>? Tags = null, long? SweepId = null, string? CreatedBy = null);

public sealed record CheckpointDto(long Id, long Step, string Kind, string Path, DateTimeOffset CreatedAt, string DownloadUrl);
public sealed record VerdictDto(long Id, long Step, string Split, string Prompt, string TrainedAnswer, string BaseAnswer,
    bool TrainedShownFirst, string Judge, string Verdict, string Rationale, string? ReviewStatus, string? ReviewComment, DateTimeOffset? ReviewedAt,
    string? Expected = null, bool? TrainedCorrect = null, bool? BaseCorrect = null, string? ReviewedBy = null);
/// <param name="Reviewer">The name the reviewer typed (until sign-in exists); "anonymous" when left out.</param>
public sealed record ReviewRequest(string? Status, string? Comment, string? Reviewer = null);
/// <summary>One review as it was given: kept when a later review of the same row replaces it.</summary>
public sealed record ReviewEventDto(long Id, string Target, long TargetId, string Reviewer, string Status, string? Comment, DateTimeOffset At);

public static class ExperimentDtos
{
    public static ExperimentDto ToDto(this Experiment e, bool withConfig = true) => new(
        e.Id, e.Name, e.Method, e.Preset, e.Status.ToString(), e.Device, e.Step, e.TotalSteps,
        Eta.Left(e, DateTimeOffset.UtcNow),
        e.Error, e.ParentExperimentId, e.CreatedAt, e.StartedAt, e.FinishedAt, e.HeadlineMetricName, e.HeadlineMetricValue,
        withConfig ? JsonNode.Parse(e.ConfigJson) : null, e.Notes, withConfig && e.Provenance is { } p ? JsonNode.Parse(p) : null,
        RunTags.Of(e.Tags), e.SweepId, e.CreatedBy);

    public static MetricDto ToDto(MetricPoint m) => new(m.Id, m.Step, m.Name, m.Value, m.Time);

    public static SampleDto ToDto(Sample s) => new(s.Id, s.Step, s.Role, s.Prompt, s.Completion, s.Reward, s.Correct, s.ExtraJson,
        s.ReviewStatus?.ToString().ToLowerInvariant(), s.ReviewComment, s.ReviewedBy);

    public static CheckpointDto ToDto(Checkpoint c) =>
        new(c.Id, c.Step, c.Kind, c.Path, c.CreatedAt, $"/api/experiments/{c.ExperimentId}/checkpoints/{c.Id}/download");

    public static VerdictDto ToDto(Verdict v) => new(v.Id, v.Step, v.Split, v.Prompt, v.TrainedAnswer, v.BaseAnswer, v.TrainedShownFirst,
        v.Judge, v.Outcome, v.Rationale, v.ReviewStatus?.ToString().ToLowerInvariant(), v.ReviewComment, v.ReviewedAt,
        v.Expected, v.TrainedCorrect, v.BaseCorrect, v.ReviewedBy);

    public static ReviewEventDto ToDto(ReviewEvent r) =>
        new(r.Id, r.Target, r.TargetId, r.Reviewer, r.Status.ToString().ToLowerInvariant(), r.Comment, r.At);
}

/// <summary>A memory plan in bytes, broken down as the run holds it.</summary>
public sealed record PlanBytes(long Parameters, long Trainable, long Weights, long Gradients, long Optimizer, long Frozen, long Activations, long Cache, long Total)
{
    public static PlanBytes Of(Training.Models.MemoryPlan p) =>
        new(p.Parameters, p.Trainable, p.Weights, p.Gradients, p.Optimizer, p.Frozen, p.Activations, p.Cache, p.Total);
}

/// <summary>POST /api/experiments/plan's answer: the device, its memory (null: unknown, never refused), whether the plan fits,
/// the plan, and the changes of options that would make it fit.</summary>
public sealed record PlanDto(string Device, long? Available, bool? Fits, PlanBytes? Plan, IReadOnlyList<PlanAlternativeDto> Alternatives, string? Note = null)
{
    public static PlanDto Of(string device, Training.Methods.Common.PlanVerdict v) => new(device, v.Available, v.Fits, PlanBytes.Of(v.Plan),
        [.. v.Alternatives.Select(a => new PlanAlternativeDto(a.Change, a.Fields, a.Plan.Total, a.Fits))]);
}

public sealed record PlanAlternativeDto(string Change, IReadOnlyList<string> Fields, long Total, bool Fits);
