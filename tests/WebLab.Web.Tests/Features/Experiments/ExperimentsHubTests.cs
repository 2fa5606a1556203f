// SignalR: a watcher gets metric points live, in batches, after they are stored; a late watcher merges history and tail by id.
using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ExperimentsHubTests() : LabTest()
{
    sealed record Point(long Id, long Step, string Name, double Value, DateTimeOffset Time);

    async Task<(HubConnection Hub, ConcurrentQueue<Point[]> Batches, ConcurrentQueue<string> Statuses)> WatchAsync(long id)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Lab.Server.BaseAddress, "/hubs/experiments"), o =>
            {
                o.HttpMessageHandlerFactory = _ => Lab.Server.CreateHandler();
                o.Transports = HttpTransportType.LongPolling;   // TestServer has no real sockets
            })
            .Build();
        var batches = new ConcurrentQueue<Point[]>();
        var statuses = new ConcurrentQueue<string>();
        hub.On<Point[]>("metrics", batches.Enqueue);
        hub.On<JsonObject>("status", s => statuses.Enqueue((string)s["status"]!));
        await hub.StartAsync();
        await hub.InvokeAsync("Watch", id);
        return (hub, batches, statuses);
    }

    [Fact]
    public async Task Watcher_receives_every_metric_point_live_in_batches()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 40));   // ~1 s of steps: Queued while we connect
        var (hub, batches, statuses) = await WatchAsync(id);
        await using var _ = hub;

        await Http.WaitForStatusAsync(id, "Succeeded");
        await Poll.UntilAsync(() => statuses.Contains("Succeeded"), "the watcher was told Succeeded");

        var points = batches.SelectMany(b => b).ToList();
        Assert.True(points.Count > 0, "no live points");
        Assert.True(batches.Count < points.Count, $"{batches.Count} messages for {points.Count} points: not batched");
        Assert.All(points, p => Assert.True(p.Id > 0));
        Assert.Equal(points.Count, points.Select(p => p.Step).Distinct().Count());
    }

    [Fact]
    public async Task Late_watcher_gets_history_and_live_tail_without_duplicate_steps()
    {
        // 60 steps of 100 ms: after step 10 the run lasts ~5 s more, ample for the watcher to connect on a loaded machine
        // (at 20 ms a step a clean-clone run once finished before the hub connection was up: no live tail to test)
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 60, stepDelayMs: 100));
        await Http.WaitForAsync(id, e => (long)e["step"]! >= 10);

        var (hub, batches, _) = await WatchAsync(id);
        await using var __ = hub;
        var history = (await Http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss"))
            .Select(m => new Point((long)m!["id"]!, (long)m["step"]!, (string)m["name"]!, (double)m["value"]!, (DateTimeOffset)m["time"]!)).ToList();
        await Http.WaitForStatusAsync(id, "Succeeded");
        // the live tail ends with the last step's point, published once it is stored: wait for it to reach the watcher
        await Poll.UntilAsync(() => batches.Any(b => b.Any(p => p.Step == 60)), "the live tail reached the watcher up to step 60");

        var merged = history.Concat(batches.SelectMany(b => b)).DistinctBy(p => p.Id).OrderBy(p => p.Id).ToList();
        Assert.NotEmpty(history);
        Assert.NotEmpty(batches);
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), merged.Select(p => p.Step));
    }
}
