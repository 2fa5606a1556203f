// LiveRelay on a real Redis: two "hosts" in one test process, each with its own notifier, relay and cancellation. What one
// raises reaches the other's watchers once, in order; neither sends a relayed update on again (no echo, no loop); a worker
// host (ShowsPages false) takes no updates; a cancel asked on one stops the run the other holds.
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Database;

public sealed class LiveRelayTests
{
    sealed class Host : IAsyncDisposable
    {
        public readonly ExperimentNotifier Notifier = new(NullLogger<ExperimentNotifier>.Instance);
        public readonly RunCancellation Cancellation = new();
        public readonly LiveRelay Relay;
        readonly ConnectionMultiplexer redis;

        public Host(string configuration, bool showsPages)
        {
            redis = ConnectionMultiplexer.Connect(configuration);
            Relay = new LiveRelay(Notifier, Cancellation, redis, new LiveRelayRole(showsPages), NullLogger<LiveRelay>.Instance);
        }

        public async ValueTask DisposeAsync()
        {
            await Relay.StopAsync(default);
            await redis.DisposeAsync();
        }
    }

    static MetricsUpdate Metric(long run, long step) => new(run, [new MetricDto(step, step, "train/loss", 1.0 / step, DateTimeOffset.UtcNow)]);

    [Fact]
    public async Task Updates_cross_once_and_in_order_and_a_cancel_reaches_the_host_running_the_run()
    {
        var configuration = TestRedis.NewConfiguration();
        await using var web = new Host(configuration, showsPages: true);
        await using var worker = new Host(configuration, showsPages: false);
        await web.Relay.StartAsync(default);
        await worker.Relay.StartAsync(default);

        var onWeb = new ConcurrentQueue<long>();
        var onWorker = new ConcurrentQueue<long>();
        using var webWatch = web.Notifier.Subscribe(7, u => { if (u is MetricsUpdate m) foreach (var p in m.Points) onWeb.Enqueue(p.Step); return Task.CompletedTask; });
        using var workerWatch = worker.Notifier.Subscribe(null, u => { if (u is MetricsUpdate m) foreach (var p in m.Points) onWorker.Enqueue(p.Step); return Task.CompletedTask; });

        // the worker's run logs 200 points one by one, then ends
        for (long step = 1; step <= 200; step++) worker.Notifier.Publish(Metric(7, step));
        await Poll.UntilAsync(() => onWeb.Count >= 200, $"the web host got {onWeb.Count} of 200 points", seconds: 10);
        Assert.Equal(Enumerable.Range(1, 200).Select(s => (long)s), onWeb);
        Assert.Equal(Enumerable.Range(1, 200).Select(s => (long)s), onWorker);      // its own, once: nothing came back

        // the web host's own update reaches no worker host's watchers (a worker shows no pages) and does not come back to itself
        web.Notifier.Publish(Metric(7, 201));
        await Poll.UntilAsync(() => onWeb.Count == 201, "the web host's own point reached its watcher", seconds: 5);
        var again = new Host(configuration, showsPages: true);   // a second web host hears the first web host's update
        await using (again)
        {
            await again.Relay.StartAsync(default);
            var onAgain = new ConcurrentQueue<long>();
            using var w = again.Notifier.Subscribe(null, u => { if (u is MetricsUpdate m) foreach (var p in m.Points) onAgain.Enqueue(p.Step); return Task.CompletedTask; });
            web.Notifier.Publish(Metric(7, 202));
            await Poll.UntilAsync(() => onAgain.Count == 1, "the second web host got the first's point", seconds: 5);
            Assert.Equal([202L], onAgain);
        }
        Assert.Equal(202, onWeb.Count);
        Assert.Equal(200, onWorker.Count);

        // a cancel asked on the web host stops the run the worker host holds
        using var running = worker.Cancellation.Register(7, CancellationToken.None);
        Assert.False(web.Cancellation.Cancel(7));                                      // not running there
        Assert.True(await web.Relay.AskCancelAsync(7));
        await Poll.UntilAsync(() => running.IsCancellationRequested, "the worker host's run was asked to stop", seconds: 5);
    }
}
