// The lab's records: in one SQLite file by default, or in PostgreSQL (PostgresWebLabDb, with migrations of its own).
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;

namespace WebLab.Web.Data;

/// <remarks>
/// Add a migration (from the repository root):
/// <c>dotnet ef migrations add VerbNoun --project src/WebLab.Web --output-dir ../../migrations --namespace WebLab.Web.Migrations</c>
/// </remarks>
/// <summary>Identity's users and roles live here too (AspNet* tables), beside the lab's records.</summary>
public class WebLabDb(DbContextOptions<WebLabDb> options) : IdentityDbContext<Features.Accounts.LabUser>(options)
{
    public DbSet<Experiment> Experiments => Set<Experiment>();
    public DbSet<Sweep> Sweeps => Set<Sweep>();
    public DbSet<MetricPoint> MetricPoints => Set<MetricPoint>();
    public DbSet<Sample> Samples => Set<Sample>();
    public DbSet<Verdict> Verdicts => Set<Verdict>();
    public DbSet<ReviewEvent> ReviewEvents => Set<ReviewEvent>();
    public DbSet<Features.Audit.AuditEvent> AuditEvents => Set<Features.Audit.AuditEvent>();
    public DbSet<EvaluationResult> EvaluationResults => Set<EvaluationResult>();
    public DbSet<Checkpoint> Checkpoints => Set<Checkpoint>();

    public DbSet<Features.Accounts.ApiToken> ApiTokens => Set<Features.Accounts.ApiToken>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(WebLabDb).Assembly);
    }

    // SQLite can't ORDER BY or compare DateTimeOffset text; store it as a sortable integer (all times are UTC). PostgreSQL
    // keeps the same integers, so both engines hold the same values and every query reads alike.
    protected override void ConfigureConventions(ModelConfigurationBuilder b) =>
        b.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
}
