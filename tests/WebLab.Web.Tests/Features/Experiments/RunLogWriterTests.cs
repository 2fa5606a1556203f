// The run log never drops a point: with the database locked by another connection for longer than the writer's
// command timeout, every write fails until the lock goes; afterwards every point is stored and published exactly once.
// And it is fenced: once its run is no longer its job's (failed as lost, claimed again elsewhere), it writes nothing more.
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class RunLogWriterTests : LabTest
{
    /// <summary>The app's database with a 1 s busy timeout, so a held lock fails a write quickly instead of after 30 s.</summary>
    sealed class ImpatientDbs(string path) : IDbContextFactory<WebLabDb>
    {
        public WebLabDb CreateDbContext() => new(new DbContextOptionsBuilder<WebLabDb>().UseSqlite($"Data Source={path};Default Timeout=1;Pooling=False").Options);
    }

    /// <summary>The writer's log, counting its failed write attempts: what the writer tried and was refused, seen from outside.</summary>
    sealed class FailedWrites : ILogger
    {
        int count;
        public int Count => Volatile.Read(ref count);
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel level, EventId id, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (level == LogLevel.Warning && formatter(state, exception).Contains("log items failed", StringComparison.Ordinal)) Interlocked.Increment(ref count);
        }
    }

    /// <summary>A Running experiment row for a writer to log into.</summary>
    async Task<long> RunningAsync(string name)
    {
        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var e = new Experiment { Name = name, Method = "test", ConfigJson = "{}", Status = ExperimentStatus.Running, CreatedAt = DateTimeOffset.UtcNow };
        db.Experiments.Add(e);
        await db.SaveChangesAsync();
        return e.Id;
    }

    [Fact]
    public async Task A_writer_whose_run_was_failed_as_lost_and_claimed_again_writes_nothing_more_and_says_so()
    {
        var dbs = Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>();
        var id = await RunningAsync("fenced");
        await using (var db = await dbs.CreateDbContextAsync())
            await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.StartedAt, DateTimeOffset.UtcNow));
        DateTimeOffset? claim;
        await using (var db = await dbs.CreateDbContextAsync())
            claim = await db.Experiments.Where(e => e.Id == id).Select(e => e.StartedAt).SingleAsync();   // as stored, as the job reads it
        var published = new ConcurrentBag<long>();
        using var _ = Lab.Services.GetRequiredService<ExperimentNotifier>().Subscribe(id, u =>
        {
            if (u is MetricsUpdate m) foreach (var p in m.Points) published.Add(p.Step);
            return Task.CompletedTask;
        });
        var writer = new RunLogWriter(id, "loss", claim!.Value, dbs, Lab.Services.GetRequiredService<ExperimentNotifier>(),
            Lab.Services.GetRequiredService<ILogger<RunLogWriter>>(), claim: claim);

        writer.Metrics([new(1, "loss", 1.0)]);
        writer.Flush();
        Assert.False(writer.Lost.IsCancellationRequested);

        // the lab fails the run as lost and another host claims it again: Running, with another start
        await using (var db = await dbs.CreateDbContextAsync())
            await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.StartedAt, claim.Value.AddSeconds(40)));
        writer.Metrics([new(2, "loss", 0.5)]);
        writer.Flush();
        Assert.True(writer.Lost.IsCancellationRequested);
        writer.Metrics([new(3, "loss", 0.25)]);                           // and nothing after it either
        await writer.DisposeAsync();

        await using (var db = await dbs.CreateDbContextAsync())
            Assert.Equal([1L], await db.MetricPoints.Where(m => m.ExperimentId == id).Select(m => m.Step).ToListAsync());
        await Poll.UntilAsync(() => published.Count >= 1, "step 1 was published", seconds: 5);
        Assert.Equal([1L], published);

        // a run only failed as lost (not claimed again) is fenced off too
        var other = await RunningAsync("failed as lost");
        await using (var db = await dbs.CreateDbContextAsync())
            await db.Experiments.Where(e => e.Id == other).ExecuteUpdateAsync(s => s.SetProperty(e => e.StartedAt, claim.Value));
        var late = new RunLogWriter(other, "loss", claim.Value, dbs, Lab.Services.GetRequiredService<ExperimentNotifier>(),
            Lab.Services.GetRequiredService<ILogger<RunLogWriter>>(), claim: claim);
        await using (var db = await dbs.CreateDbContextAsync())
            await db.Experiments.Where(e => e.Id == other).ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExperimentStatus.Failed));
        late.Metrics([new(1, "loss", 1.0)]);
        late.Flush();
        Assert.True(late.Lost.IsCancellationRequested);
        await late.DisposeAsync();
        await using (var db = await dbs.CreateDbContextAsync())
            Assert.Equal(0, await db.MetricPoints.CountAsync(m => m.ExperimentId == other));
    }

    [Fact]
    public async Task Flush_returns_only_once_everything_logged_before_it_is_stored()
    {
        var path = Lab.Services.GetRequiredService<LabPaths>().Database;
        var id = await RunningAsync("flush");
        var failures = new FailedWrites();
        var writer = new RunLogWriter(id, "loss", DateTimeOffset.UtcNow, new ImpatientDbs(path), Lab.Services.GetRequiredService<ExperimentNotifier>(), failures);
        var held = await DatabaseLock.TakeAsync(path);
        for (int step = 1; step <= 100; step++) writer.Metrics([new(step, "loss", 1.0 / step)]);
        var flushed = Task.Run(writer.Flush);                             // what a recipe does before it saves its state
        await Poll.UntilAsync(() => failures.Count >= 2, "the writer was refused twice by the held lock", 30);
        Assert.False(flushed.IsCompleted, "Flush returned while the rows could not be stored");
        await held.DisposeAsync();
        await flushed.WaitAsync(TimeSpan.FromSeconds(30));                // soon after the lock is freed (a TimeoutException if not)
        await using (var check = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
            Assert.Equal(100, await check.MetricPoints.CountAsync(m => m.ExperimentId == id));   // at once: no polling
        await writer.DisposeAsync();
    }

    [Fact]
    public async Task Points_logged_while_the_database_is_locked_are_stored_and_published_once_after_it_frees()
    {
        var path = Lab.Services.GetRequiredService<LabPaths>().Database;
        var id = await RunningAsync("locked");
        var notifier = Lab.Services.GetRequiredService<ExperimentNotifier>();
        var published = new ConcurrentBag<MetricDto>();
        using var _ = notifier.Subscribe(id, u => { if (u is MetricsUpdate m) foreach (var p in m.Points) published.Add(p); return Task.CompletedTask; });

        // another connection takes the write lock and holds it until the writer has been refused twice (each attempt fails after 1 s)
        var held = await DatabaseLock.TakeAsync(path);
        var failures = new FailedWrites();

        var writer = new RunLogWriter(id, "loss", DateTimeOffset.UtcNow, new ImpatientDbs(path), notifier, failures);
        for (int step = 1; step <= 1200; step++)
        {
            writer.Metrics([new(step, "loss", 1.0 / step)]);
            writer.Progress(step, 1200);
        }
        await Poll.UntilAsync(() => failures.Count >= 2, "the writer was refused twice by the held lock", 30);
        Assert.Empty(published);                                          // nothing got through the lock
        await held.DisposeAsync();
        await writer.DisposeAsync();
        await Poll.UntilAsync(() => published.Count >= 1200, "every stored point published");   // delivery is asynchronous

        await using var check = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var stored = await check.MetricPoints.Where(m => m.ExperimentId == id).OrderBy(m => m.Id).Select(m => m.Step).ToListAsync();
        Assert.Equal(Enumerable.Range(1, 1200).Select(s => (long)s), stored);   // all, once, in order
        var row = await check.Experiments.SingleAsync(e => e.Id == id);
        Assert.Equal((1200L, 1200L, 1.0 / 1200), (row.Step, row.TotalSteps, row.HeadlineMetricValue!.Value));
        Assert.Equal(Enumerable.Range(1, 1200).Select(s => (long)s), published.OrderBy(p => p.Id).Select(p => p.Step));
        Assert.Equal(1200, published.Select(p => p.Id).Distinct().Count());
    }
}
