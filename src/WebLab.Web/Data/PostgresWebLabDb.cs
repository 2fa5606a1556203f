// The lab's records on PostgreSQL: the same model as WebLabDb, a type of its own only so that EF finds its own migrations
// (migrations/Postgres, generated against Npgsql; SQLite's are WebLabDb's). Every service still asks for a WebLabDb.
// Add a migration (from the repository root), after SQLite's:
//   dotnet ef migrations add VerbNoun --project src/WebLab.Web --context PostgresWebLabDb --output-dir ../../migrations/Postgres --namespace WebLab.Web.Migrations.Postgres
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Options;

namespace WebLab.Web.Data;

public sealed class PostgresWebLabDb(DbContextOptions<WebLabDb> options) : WebLabDb(options);

/// <summary>Makes the lab's context for the configured engine: WebLabDb on SQLite, PostgresWebLabDb on PostgreSQL.</summary>
public sealed class LabDbContextFactory(DbContextOptions<WebLabDb> options, IOptions<WebLabOptions> lab) : IDbContextFactory<WebLabDb>
{
    public WebLabDb CreateDbContext() => lab.Value.Database == LabDatabase.Postgres ? new PostgresWebLabDb(options) : new WebLabDb(options);
}

/// <summary>Lets `dotnet ef` build the PostgreSQL context without a server (migrations are scaffolded from the model).</summary>
public sealed class PostgresDesignTimeDbFactory : IDesignTimeDbContextFactory<PostgresWebLabDb>
{
    public PostgresWebLabDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<WebLabDb>().UseNpgsql("Host=localhost;Database=weblab_design").Options);
}
