// One training run: what was asked for (method, preset, full options), where it is (status, step) and how it ended.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebLab.Web.Features.Experiments.Records;

public enum ExperimentStatus { Queued, Running, Succeeded, Failed, Cancelled }

public sealed class Experiment
{
    public long Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Free text a person keeps with the run: the question it asks, what was seen (editable while it runs).</summary>
    public string? Notes { get; set; }
    public required string Method { get; set; }
    public string? Preset { get; set; }
    /// <summary>The full, validated options object as JSON (defaults ← preset ← overrides).</summary>
    public required string ConfigJson { get; set; }
    public ExperimentStatus Status { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public string? Error { get; set; }
    public long? ParentExperimentId { get; set; }
    public string Device { get; set; } = "cpu";
    public long Step { get; set; }
    public long TotalSteps { get; set; }
    public string? JobId { get; set; }
    /// <summary>Where a Queued run stands in its device's queue: smaller goes first (launch order by default; a resumed run
    /// goes to the front; an Admin may reorder). The lab hands a run to Hangfire only when its device has a free worker.</summary>
    public long QueueOrder { get; set; }
    /// <summary>Where the run came from (RunProvenance as JSON: lab version and commit, device, threads, start model and its
    /// weights' sha256), written each time it starts.</summary>
    public string? Provenance { get; set; }
    /// <summary>Labels a person gives the run, at launch or later, space-separated in the order given (<see cref="RunTags"/>).</summary>
    public string? Tags { get; set; }
    /// <summary>The sweep this run is a grid point of (null for a single run).</summary>
    public long? SweepId { get; set; }
    /// <summary>The user who launched it (the anonymous user of Mode None: "anonymous"; a headless run: its --as user or
    /// "cli:{machine user}"); a Researcher may change and delete only their own runs. Null for runs from before sign-in.</summary>
    public string? CreatedBy { get; set; }
    public string? HeadlineMetricName { get; set; }
    public double? HeadlineMetricValue { get; set; }

    public const int MaxNotes = 10_000;

    public bool IsActive => Status is ExperimentStatus.Queued or ExperimentStatus.Running;
}

public sealed class ExperimentConfiguration : IEntityTypeConfiguration<Experiment>
{
    public void Configure(EntityTypeBuilder<Experiment> b)
    {
        b.Property(e => e.Name).HasMaxLength(200);
        b.Property(e => e.Notes).HasMaxLength(Experiment.MaxNotes);
        b.Property(e => e.Method).HasMaxLength(64);
        b.Property(e => e.CreatedBy).HasMaxLength(256);
        b.Property(e => e.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(e => e.Status);
        b.HasIndex(e => e.CreatedAt);
        b.Property(e => e.Tags).HasMaxLength(RunTags.MaxTags * (RunTags.MaxLength + 1));
        b.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ParentExperimentId).OnDelete(DeleteBehavior.SetNull);
        b.HasOne<Sweep>().WithMany().HasForeignKey(e => e.SweepId).OnDelete(DeleteBehavior.SetNull);
        b.HasIndex(e => e.SweepId);
    }
}
