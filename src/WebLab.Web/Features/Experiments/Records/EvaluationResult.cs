// A named evaluation score of a run at a step (e.g. accuracy on the test split), with its details as JSON.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebLab.Web.Features.Experiments.Records;

public sealed class EvaluationResult
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public long Step { get; set; }
    public required string Name { get; set; }
    public required string Split { get; set; }
    public double Value { get; set; }
    public string? Json { get; set; }
}

public sealed class EvaluationResultConfiguration : IEntityTypeConfiguration<EvaluationResult>
{
    public void Configure(EntityTypeBuilder<EvaluationResult> b)
    {
        b.HasIndex(e => new { e.ExperimentId, e.Name, e.Step });
        b.HasOne<Experiment>().WithMany().HasForeignKey(e => e.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
