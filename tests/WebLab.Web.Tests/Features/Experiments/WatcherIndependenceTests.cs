// A run never waits for the people watching it (the real app, a real Hangfire server, a real SQLite file): with one
// watcher that hangs forever and one that throws, every metric point reaches the database and a healthy watcher within
// 3 s of being logged, and the run is Succeeded within 4 s of its last step. Both bounds sit below the notifier's 5 s
// drop timeout: a design that waited on the hung watcher, even once and only until its timeout, fails them (the old
// notifier never finished). They leave room for a loaded 2-core CI machine (1.07 s was once measured there).
using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class WatcherIndependenceTests() : LabTest()
{
    [Fact]
    public async Task Hung_and_throwing_watchers_delay_neither_the_records_nor_a_healthy_watcher_nor_the_final_status()
    {
        var notifier = Lab.Services.GetRequiredService<ExperimentNotifier>();
        using var hung = notifier.Subscribe(null, _ => new TaskCompletionSource().Task);          // a page whose circuit died
        using var throwing = notifier.Subscribe(null, _ => throw new ObjectDisposedException("circuit"));
        var points = new ConcurrentQueue<(MetricDto Point, DateTimeOffset Received)>();
        var statuses = new ConcurrentQueue<(ExperimentStatus Status, DateTimeOffset Received)>();
        using var healthy = notifier.Subscribe(null, u =>
        {
            var now = DateTimeOffset.UtcNow;
            if (u is MetricsUpdate m) foreach (var p in m.Points) points.Enqueue((p, now));
            if (u is StatusUpdate s) statuses.Enqueue((s.Status, now));
            return Task.CompletedTask;
        });

        // 80 steps of 50 ms: 4 s of logging, most of it after the hung watcher has blocked (and long before its 5 s timeout)
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 80, stepDelayMs: 50));
        await Poll.UntilAsync(() => statuses.Any(s => s.Status == ExperimentStatus.Succeeded), "the healthy watcher saw Succeeded", 30);

        // every point, once, in order; published only after its batch was stored, so stored by the time it was received
        Assert.Equal(Enumerable.Range(1, 80).Select(i => (long)i), points.Select(p => p.Point.Step));
        var worst = points.Max(p => (p.Received - p.Point.Time).TotalSeconds);
        Assert.True(worst <= 3, $"a point took {worst:0.00} s from being logged to the healthy watcher");

        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var row = await db.Experiments.SingleAsync(e => e.Id == id);
        var lastStepLogged = points.Last().Point.Time;
        Assert.Equal(ExperimentStatus.Succeeded, row.Status);
        Assert.InRange((row.FinishedAt!.Value - lastStepLogged).TotalSeconds, 0, 4);
        Assert.Equal(80, await db.MetricPoints.CountAsync(m => m.ExperimentId == id));
        Assert.NotNull(throwing.Dropped);
    }
}
