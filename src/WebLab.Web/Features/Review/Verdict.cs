// A judge's comparison of trained vs base answers on one prompt, and a person's review of that verdict.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Review;

public enum ReviewStatus { Agree, Disagree, Unsure }

/// <summary>A row a person can review: a verdict (the judge's call) or a sample (its recorded reward).</summary>
public interface IReviewable
{
    long Id { get; }
    ReviewStatus? ReviewStatus { get; set; }
    string? ReviewComment { get; set; }
    DateTimeOffset? ReviewedAt { get; set; }
    /// <summary>Who gave the current review (every earlier one is a <see cref="ReviewEvent"/>).</summary>
    string? ReviewedBy { get; set; }
}

public sealed class Verdict : IReviewable
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public long Step { get; set; }
    public required string Split { get; set; }
    public required string Prompt { get; set; }
    public required string TrainedAnswer { get; set; }
    public required string BaseAnswer { get; set; }
    public bool TrainedShownFirst { get; set; }
    public required string Judge { get; set; }
    /// <summary>win | tie | loss, from the trained model's side.</summary>
    public required string Outcome { get; set; }
    public required string Rationale { get; set; }
    /// <summary>The domain's reference answer and each answer's grade (null where the domain has none, as chat).</summary>
    public string? Expected { get; set; }
    public bool? TrainedCorrect { get; set; }
    public bool? BaseCorrect { get; set; }
    public ReviewStatus? ReviewStatus { get; set; }
    public string? ReviewComment { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public string? ReviewedBy { get; set; }
}

public sealed class VerdictConfiguration : IEntityTypeConfiguration<Verdict>
{
    public void Configure(EntityTypeBuilder<Verdict> b)
    {
        // The column is "Verdict" as in the brief; the property can't share its class's name.
        b.Property(v => v.Outcome).HasColumnName("Verdict").HasMaxLength(16);
        b.Property(v => v.ReviewStatus).HasConversion<string>().HasMaxLength(16);
        b.Property(v => v.ReviewedBy).HasMaxLength(ReviewEvent.MaxReviewerLength);
        b.HasIndex(v => new { v.ExperimentId, v.Step });
        b.HasOne<Experiment>().WithMany().HasForeignKey(v => v.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
