// A grid of runs launched together: one method and preset, the same overrides, and one or two options varied over a
// list of values each (for example learningRate × seed); each grid point is an Experiment with this SweepId.
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace WebLab.Web.Features.Experiments.Records;

public sealed class Sweep
{
    public long Id { get; set; }
    public required string Name { get; set; }
    public required string Method { get; set; }
    public string? Preset { get; set; }
    /// <summary>The varied options and their values, as JSON: [{"option":"learningRate","values":[1e-4,3e-4]}, …].</summary>
    public required string AxesJson { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class SweepConfiguration : IEntityTypeConfiguration<Sweep>
{
    public void Configure(EntityTypeBuilder<Sweep> b)
    {
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Method).HasMaxLength(64);
    }
}
