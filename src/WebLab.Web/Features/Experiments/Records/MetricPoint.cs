// One logged scalar of a run; the id orders points and lets live watchers drop duplicates.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebLab.Web.Features.Experiments.Records;

public sealed class MetricPoint
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public long Step { get; set; }
    public required string Name { get; set; }
    public double Value { get; set; }
    public DateTimeOffset Time { get; set; }
}

public sealed class MetricPointConfiguration : IEntityTypeConfiguration<MetricPoint>
{
    public void Configure(EntityTypeBuilder<MetricPoint> b)
    {
        b.Property(m => m.Name).HasMaxLength(128);
        b.HasIndex(m => new { m.ExperimentId, m.Name, m.Step });
        b.HasOne<Experiment>().WithMany().HasForeignKey(m => m.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
