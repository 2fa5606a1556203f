// One thing a model wrote during a run, with its score, and a person's review of that score.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebLab.Web.Features.Review;

namespace WebLab.Web.Features.Experiments.Records;

public sealed class Sample : IReviewable
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public long Step { get; set; }
    public required string Role { get; set; }
    public required string Prompt { get; set; }
    public required string Completion { get; set; }
    public double? Reward { get; set; }
    public bool? Correct { get; set; }
    public string? ExtraJson { get; set; }
    /// <summary>A person's word on the recorded reward: agree, disagree or unsure (null = not reviewed).</summary>
    public ReviewStatus? ReviewStatus { get; set; }
    public string? ReviewComment { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewedBy { get; set; }
}

public sealed class SampleConfiguration : IEntityTypeConfiguration<Sample>
{
    public void Configure(EntityTypeBuilder<Sample> b)
    {
        b.Property(s => s.Role).HasMaxLength(32);
        b.Property(s => s.ReviewStatus).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.ReviewedBy).HasMaxLength(ReviewEvent.MaxReviewerLength);
        b.HasIndex(s => new { s.ExperimentId, s.Step });
        b.HasOne<Experiment>().WithMany().HasForeignKey(s => s.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
