// The lab on both engines (issue 31, its first part): WebLab:Database = Sqlite (the default) or Postgres, against a real
// PostgreSQL 15 (TestPostgres). Each engine's migrations apply to an empty database, and SQLite's from its previous
// migration too; on PostgreSQL the lab itself runs end to end — Hangfire's queue on PostgreSQL runs the runs, sign-in's
// accounts and tokens (Identity), reviews, the audit trail and sweeps all read and write through it.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using WebLab.Web.Data;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Database;

public sealed class DatabaseProviderTests : IDisposable
{
    readonly TempFolder root = new("weblab-db-");
    public void Dispose() => root.Dispose();

    static WebLabDb Context(LabDatabase engine, string connection)
    {
        var builder = new DbContextOptionsBuilder<WebLabDb>();
        if (engine == LabDatabase.Postgres) builder.UseNpgsql(connection); else builder.UseSqlite(connection);
        var lab = Options.Create(new WebLabOptions { Database = engine });
        return new LabDbContextFactory(builder.Options, lab).CreateDbContext();
    }

    [Fact]
    public async Task Each_engines_migrations_apply_to_an_empty_database_and_from_its_previous_one()
    {
        // PostgreSQL: its own migrations (PostgresWebLabDb), from empty
        await using (var pg = Context(LabDatabase.Postgres, TestPostgres.NewDatabase()))
        {
            Assert.IsType<PostgresWebLabDb>(pg);
            var all = pg.Database.GetMigrations().ToList();
            Assert.NotEmpty(all);
            Assert.DoesNotContain(all, m => pg.Database.GetService<IMigrationsAssembly>().Migrations[m].Namespace != "WebLab.Web.Migrations.Postgres");
            await pg.Database.MigrateAsync();
            Assert.Equal(all, await pg.Database.GetAppliedMigrationsAsync());
            Assert.Empty(await pg.Database.GetPendingMigrationsAsync());
            Assert.Equal(0, await pg.Experiments.CountAsync());
        }
        // PostgreSQL from its previous migration with a run in it, which survives (written through the model: the runs'
        // table is the same under both; a migration that changes it will need the SQLite case's column-by-column insert)
        await using (var pg = Context(LabDatabase.Postgres, TestPostgres.NewDatabase()))
        {
            var all = pg.Database.GetMigrations().ToList();
            await pg.Database.GetService<IMigrator>().MigrateAsync(all[^2]);
            Assert.Equal([all[^1]], await pg.Database.GetPendingMigrationsAsync());
            pg.Experiments.Add(new WebLab.Web.Features.Experiments.Records.Experiment
            {
                Name = "old", Method = "sft", ConfigJson = "{}", Status = WebLab.Web.Features.Experiments.Records.ExperimentStatus.Succeeded,
                CreatedAt = DateTimeOffset.UtcNow, Device = "cpu",
            });
            await pg.SaveChangesAsync();
            await pg.Database.MigrateAsync();
            Assert.Empty(await pg.Database.GetPendingMigrationsAsync());
            Assert.Equal("old", await pg.Experiments.Select(e => e.Name).SingleAsync());
        }
        // SQLite: from empty, and from the previous migration with a run in it, which survives
        var empty = Path.Combine(root.Path, "empty.db");
        await using (var db = Context(LabDatabase.Sqlite, $"Data Source={empty}"))
        {
            Assert.IsNotType<PostgresWebLabDb>(db);
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
        }
        var upgraded = Path.Combine(root.Path, "previous.db");
        await using (var db = Context(LabDatabase.Sqlite, $"Data Source={upgraded}"))
        {
            var all = db.Database.GetMigrations().ToList();
            await db.Database.GetService<IMigrator>().MigrateAsync(all[^2]);
            Assert.Equal([all[^1]], await db.Database.GetPendingMigrationsAsync());
            // a run written under the previous schema: every required column of that schema, by its type
            var connection = db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            var columns = new List<(string Name, string Type)>();
            await using (var info = connection.CreateCommand())
            {
                info.CommandText = "SELECT name, type FROM pragma_table_info('Experiments') WHERE \"notnull\" = 1 AND dflt_value IS NULL AND pk = 0";
                await using var reader = await info.ExecuteReaderAsync();
                while (await reader.ReadAsync()) columns.Add((reader.GetString(0), reader.GetString(1)));
            }
            string Value((string Name, string Type) c) => c.Name switch
            {
                "Name" => "'old'", "Status" => "'Succeeded'", "ConfigJson" => "'{}'",
                _ => c.Type.Contains("TEXT", StringComparison.OrdinalIgnoreCase) ? "'x'" : "0",
            };
            await using (var insert = connection.CreateCommand())
            {
                insert.CommandText = $"INSERT INTO Experiments ({string.Join(", ", columns.Select(c => c.Name))}) VALUES ({string.Join(", ", columns.Select(Value))})";
                await insert.ExecuteNonQueryAsync();
            }
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            var old = await db.Experiments.Select(e => new { e.Name, e.Status }).SingleAsync();
            Assert.Equal(("old", WebLab.Web.Features.Experiments.Records.ExperimentStatus.Succeeded), (old.Name, old.Status));
        }
    }

    [Fact]
    public async Task The_lab_on_postgresql_runs_runs_through_hangfire_and_keeps_accounts_reviews_audit_and_sweeps()
    {
        var connection = TestPostgres.NewDatabase();
        await using var lab = new LabFactory(TestMethods.Catalog);
        lab.Settings["WebLab:Database"] = "Postgres";
        lab.Settings["WebLab:PostgresConnectionString"] = connection;
        using var http = lab.CreateClient();

        // a run, queued in Hangfire's PostgreSQL storage, executed, its metrics and verdicts written
        var id = await http.LaunchAsync(name: "on-postgres");
        Assert.Equal(HttpStatusCode.OK, (await http.PatchAsJsonAsync($"/api/experiments/{id}", new { tags = new[] { "pg" } })).StatusCode);
        await http.WaitForStatusAsync(id, "Succeeded", 60);
        Assert.NotEmpty(await http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss"));
        var verdict = (long)(await http.ListAsync($"/api/experiments/{id}/verdicts"))[0]!["id"]!;
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync($"/api/verdicts/{verdict}/review", new { status = "disagree", reviewer = "ann" })).StatusCode);
        Assert.Equal("Disagree", (string)(await http.ListAsync($"/api/experiments/{id}/verdicts")).Single(v => (long)v!["id"]! == verdict)!["reviewStatus"]!, ignoreCase: true);
        Assert.Equal(["launched", "tagged", "reviewed"], (await http.ListAsync($"/api/experiments/{id}/audit")).Select(a => (string)a!["action"]!));

        // a sweep: its runs grouped and all run
        var sweep = await http.PostAsJsonAsync("/api/sweeps", new
        {
            method = TestMethods.Name, preset = TestMethods.Preset, overrides = new { steps = 2, stepDelayMs = 1 },
            axes = new object[] { new { option = "learningRate", values = new[] { 0.01, 0.1 } } },
        });
        Assert.Equal(HttpStatusCode.Created, sweep.StatusCode);
        var created = (await sweep.Content.ReadFromJsonAsync<JsonObject>())!;
        foreach (var run in created["experimentIds"]!.AsArray()) await http.WaitForStatusAsync((long)run!, "Succeeded", 60);
        Assert.Equal(2, (await http.GetFromJsonAsync<JsonObject>($"/api/sweeps/{(long)created["id"]!}"))!["runs"]!.AsArray().Count);

        // an account and its token (Identity's stores)
        var token = await lab.UserWithTokenAsync("grace", "Researcher");
        Assert.False(string.IsNullOrEmpty(token));

        // and all of it is in PostgreSQL, not in a SQLite file beside the lab
        await using (var pg = new NpgsqlConnection(connection))
        {
            await pg.OpenAsync();
            async Task<long> Count(string sql) { await using var c = new NpgsqlCommand(sql, pg); return (long)(await c.ExecuteScalarAsync())!; }
            Assert.Equal(3, await Count("SELECT count(*) FROM \"Experiments\""));
            Assert.Equal(1, await Count("SELECT count(*) FROM \"AspNetUsers\" WHERE \"UserName\" = 'grace'"));
            Assert.True(await Count("SELECT count(*) FROM hangfire.job") >= 3);
        }
        Assert.False(File.Exists(Path.Combine(lab.DataDirectory, "weblab.db")));
        Assert.False(File.Exists(Path.Combine(lab.DataDirectory, "hangfire.db")));
    }
}
