// SignalR hub /hubs/experiments: Watch(id) joins the experiment's group; the server pushes metrics, samples, status, progress.
using Microsoft.AspNetCore.SignalR;

namespace WebLab.Web.Features.Experiments;

public sealed class ExperimentsHub : Hub
{
    public static string Group(long experimentId) => $"experiment-{experimentId}";

    public Task Watch(long experimentId) => Groups.AddToGroupAsync(Context.ConnectionId, Group(experimentId));

    public Task Unwatch(long experimentId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(experimentId));
}

/// <summary>Forwards every in-process update to the experiment's SignalR group. With the Redis backplane (LiveRelay
/// present) only the updates raised in this process, which the backplane hands to every host's clients, and a send that
/// fails (Redis down) is logged and skipped rather than ending the bridge.</summary>
public sealed class HubBridge(ExperimentNotifier notifier, IHubContext<ExperimentsHub> hub, IServiceProvider services, ILogger<HubBridge> logger) : IHostedService
{
    IDisposable? subscription;
    bool acrossHosts;
    DateTime lastFailureLogged;

    public Task StartAsync(CancellationToken ct)
    {
        acrossHosts = services.GetService<LiveRelay>() is not null;
        subscription = notifier.Subscribe(null, acrossHosts ? ForwardAcrossHosts : Forward, localOnly: acrossHosts);
        return Task.CompletedTask;
    }

    async Task ForwardAcrossHosts(ExperimentUpdate u)
    {
        try { await Forward(u); }
        catch (Exception e) when (e is StackExchange.Redis.RedisException or TimeoutException)
        {
            if (DateTime.UtcNow - lastFailureLogged < TimeSpan.FromMinutes(1)) return;
            lastFailureLogged = DateTime.UtcNow;
            logger.LogWarning("the hub's Redis backplane could not take a live update ({Message}); watchers reload from the records", e.Message);
        }
    }

    public Task StopAsync(CancellationToken ct)
    {
        subscription?.Dispose();
        return Task.CompletedTask;
    }

    Task Forward(ExperimentUpdate u)
    {
        var group = hub.Clients.Group(ExperimentsHub.Group(u.ExperimentId));
        return u switch
        {
            MetricsUpdate m => group.SendAsync("metrics", m.Points),
            SamplesUpdate s => group.SendAsync("samples", s.Samples),
            StatusUpdate s => group.SendAsync("status", new { status = s.Status.ToString(), error = s.Error }),
            ProgressUpdate p => group.SendAsync("progress", new { step = p.Step, total = p.Total, eta = p.EtaSeconds }),
            _ => Task.CompletedTask,
        };
    }
}
