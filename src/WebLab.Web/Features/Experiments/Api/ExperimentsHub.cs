// SignalR hub /hubs/experiments: Watch(id) joins the experiment's group; the server pushes metrics, samples, status, progress.
using Microsoft.AspNetCore.SignalR;

namespace WebLab.Web.Features.Experiments;

public sealed class ExperimentsHub : Hub
{
    public static string Group(long experimentId) => $"experiment-{experimentId}";

    public Task Watch(long experimentId) => Groups.AddToGroupAsync(Context.ConnectionId, Group(experimentId));

    public Task Unwatch(long experimentId) => Groups.RemoveFromGroupAsync(Context.ConnectionId, Group(experimentId));
}

/// <summary>Forwards every in-process update to the experiment's SignalR group.</summary>
public sealed class HubBridge(ExperimentNotifier notifier, IHubContext<ExperimentsHub> hub) : IHostedService
{
    IDisposable? subscription;

    public Task StartAsync(CancellationToken ct)
    {
        subscription = notifier.Subscribe(null, Forward);
        return Task.CompletedTask;
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
