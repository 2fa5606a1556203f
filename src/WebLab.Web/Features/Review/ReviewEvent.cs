// Every review as it was given (who, when, what), so that changing a review replaces the row's current state but never
// its history; Cohen's κ between reviewers is computed from these.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Review;

public sealed class ReviewEvent
{
    public const int MaxReviewerLength = 64;
    public const string Anonymous = "anonymous";
    public const string VerdictTarget = "verdict", SampleTarget = "sample";

    public long Id { get; set; }
    public long ExperimentId { get; set; }
    /// <summary><see cref="VerdictTarget"/> or <see cref="SampleTarget"/>.</summary>
    public required string Target { get; set; }
    public long TargetId { get; set; }
    public required string Reviewer { get; set; }
    public ReviewStatus Status { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset At { get; set; }
}

public sealed class ReviewEventConfiguration : IEntityTypeConfiguration<ReviewEvent>
{
    public void Configure(EntityTypeBuilder<ReviewEvent> b)
    {
        b.Property(r => r.Target).HasMaxLength(16);
        b.Property(r => r.Reviewer).HasMaxLength(ReviewEvent.MaxReviewerLength);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(r => new { r.Target, r.TargetId });
        b.HasIndex(r => r.ExperimentId);
        b.HasOne<Experiment>().WithMany().HasForeignKey(r => r.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
