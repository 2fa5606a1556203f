// A checkpoint folder a run wrote (config.json + model.safetensors), downloadable as a zip.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebLab.Web.Features.Experiments.Records;

public sealed class Checkpoint
{
    public long Id { get; set; }
    public long ExperimentId { get; set; }
    public long Step { get; set; }
    public required string Path { get; set; }
    public required string Kind { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class CheckpointConfiguration : IEntityTypeConfiguration<Checkpoint>
{
    public void Configure(EntityTypeBuilder<Checkpoint> b)
    {
        b.HasIndex(c => new { c.ExperimentId, c.Step });
        b.HasOne<Experiment>().WithMany().HasForeignKey(c => c.ExperimentId).OnDelete(DeleteBehavior.Cascade);
    }
}
