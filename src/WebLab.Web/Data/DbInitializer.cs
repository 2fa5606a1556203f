// Start-up: WAL mode (SQLite), migrations (each engine its own set), crash recovery (a run found Running was killed with the process) and resuming the
// runs the last shutdown stopped.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebLab.Training.Methods.Common;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Data;

public static class DbInitializer
{
    /// <summary>Who the audit trail names for what the lab does on its own (resuming runs its last shutdown stopped).</summary>
    public const string LabActor = "lab";

    public const string CrashError = "the lab process stopped during the run (found Running at start-up; the run was not resumed)";

    /// <summary>The crash error, and how to go on when the run saved a resumable state.</summary>
    public static string CrashErrorOf(LabPaths paths, long id) => paths.Run(id).SavedState is { } state
        ? $"{CrashError}; Resume continues it from its state after step {state.Step}"
        : CrashError;

    /// <summary>
    /// Marks Failed, with <see cref="CrashErrorOf"/>, the runs still marked Running whose owner (job id) <paramref name="crashed"/>
    /// says is gone: every such run, or only <paramref name="only"/>.
    /// </summary>
    public static async Task FailCrashedAsync(WebLabDb db, LabPaths paths, Func<string?, bool> crashed, long? only = null, CancellationToken ct = default)
    {
        var running = await db.Experiments.Where(e => e.Status == ExperimentStatus.Running && (only == null || e.Id == only))
            .Select(e => new { e.Id, e.JobId }).ToListAsync(ct);
        var now = DateTimeOffset.UtcNow;
        foreach (var id in running.Where(r => crashed(r.JobId)).Select(r => r.Id))
            await db.Experiments.Where(e => e.Id == id && e.Status == ExperimentStatus.Running).ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, ExperimentStatus.Failed).SetProperty(e => e.Error, CrashErrorOf(paths, id)).SetProperty(e => e.FinishedAt, now), ct);
    }

    public static async Task InitializeAsync(IServiceProvider services, bool failInterruptedRuns, CancellationToken ct = default)
    {
        var paths = services.GetRequiredService<LabPaths>();
        Directory.CreateDirectory(paths.DataDirectory);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<WebLabDb>();
        await db.Database.OpenConnectionAsync(ct);
        if (db.Database.IsSqlite()) await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
        // without local workers the runs marked Running belong to worker hosts, which outlive this one
        if (!failInterruptedRuns || !services.GetRequiredService<IOptions<WebLabOptions>>().Value.Workers.Local) return;
        // A run owned by a live headless process (weblab run on the same data folder) is not a crash: leave it.
        await FailCrashedAsync(db, paths, jobId => !HeadlessOwner.IsAlive(jobId), ct: ct);

        if (!services.GetRequiredService<IOptions<WebLabOptions>>().Value.ResumeAfterShutdown) return;
        var stopped = await db.Experiments.Where(e => e.Status == ExperimentStatus.Cancelled && e.Error == ExperimentJob.ShutdownError)
            .Select(e => e.Id).ToListAsync(ct);
        scope.ServiceProvider.GetRequiredService<Features.Accounts.CurrentActor>().Name = LabActor;   // the lab itself resumes them
        var experiments = scope.ServiceProvider.GetRequiredService<ExperimentService>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DbInitializer));
        foreach (var id in stopped)
        {
            // no state, or reviews it would delete: it stays Cancelled, with Resume on its page when there is a state
            var (outcome, step) = await experiments.ResumeAsync(id, ct: ct);
            logger.LogInformation("experiment {Id} stopped by the last shutdown: {Outcome} {Step}", id, outcome, step);
        }
    }
}

/// <summary>Runs <see cref="DbInitializer"/> before Hangfire's server starts taking jobs.</summary>
public sealed class DbInitializerService(IServiceProvider services) : IHostedService
{
    public Task StartAsync(CancellationToken ct) => DbInitializer.InitializeAsync(services, failInterruptedRuns: true, ct);
    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}
