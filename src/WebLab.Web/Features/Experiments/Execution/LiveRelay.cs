// Live updates across hosts (issue 31), when WebLab:Redis names a Redis server. Every process that raises updates (a web
// host's own runs, its cancels and lost-run failures; a `weblab worker` host's runs) sends each one on twice:
//   1. to the SignalR hub's clients on every web host: its HubBridge sends through the hub's Redis backplane
//      (Microsoft.AspNetCore.SignalR.StackExchangeRedis), which fans each group message out to every host;
//   2. to every web host's Blazor pages: this relay publishes it on the channel "weblab:updates", and each web host's
//      relay hands what other processes published to its own notifier (ExperimentNotifier.PublishRelayed).
// A relayed update is not sent on again (the relay and the hub bridge subscribe to local updates only), so each update
// reaches each watcher once. Each way drains its own mailbox: a slow or absent Redis never slows a run, and a failed
// publish is logged, not retried (the records hold every point; a page reloads them).
// Cancel crosses the same way: a host asked to stop a run it does not run publishes on "weblab:cancel", and the host
// running it stops it (RunCancellation, then its worker process).
using System.Text.Json;
using StackExchange.Redis;
using WebLab.Web.Features.Experiments.Workers;

namespace WebLab.Web.Features.Experiments;

/// <summary>Whether this process shows pages (a web host: it takes other hosts' updates) or only runs runs (a worker host).</summary>
public sealed record LiveRelayRole(bool ShowsPages);

public sealed class LiveRelay(ExperimentNotifier notifier, RunCancellation cancellation, IConnectionMultiplexer redis, LiveRelayRole role,
    ILogger<LiveRelay> logger) : IHostedService
{
    public static readonly RedisChannel UpdatesChannel = RedisChannel.Literal("weblab:updates");
    public static readonly RedisChannel CancelChannel = RedisChannel.Literal("weblab:cancel");

    /// <summary>This process, so that it skips its own messages when they come back.</summary>
    public string Origin { get; } = Guid.NewGuid().ToString("N");

    sealed record Envelope(string Origin, ExperimentUpdate Update);

    IDisposable? outgoing;
    ChannelMessageQueue? updates, cancels;
    DateTime lastFailureLogged;

    public async Task StartAsync(CancellationToken ct)
    {
        outgoing = notifier.Subscribe(null, Send, localOnly: true);
        var subscriber = redis.GetSubscriber();
        // ChannelMessageQueue: one message at a time, in the order Redis delivered them (a run's points stay in order)
        if (role.ShowsPages)
        {
            updates = await subscriber.SubscribeAsync(UpdatesChannel);
            updates.OnMessage(m => Receive(m.Message));
        }
        cancels = await subscriber.SubscribeAsync(CancelChannel);
        cancels.OnMessage(m =>
        {
            if (long.TryParse((string?)m.Message, out var id) && cancellation.Cancel(id))
                logger.LogInformation("experiment {Id}: asked to stop by another host", id);
        });
    }

    public async Task StopAsync(CancellationToken ct)
    {
        outgoing?.Dispose();
        if (updates is not null) await updates.UnsubscribeAsync();
        if (cancels is not null) await cancels.UnsubscribeAsync();
    }

    /// <summary>Asks every host to stop run <paramref name="experimentId"/>; the one running it does. False when Redis did not take the message.</summary>
    public async Task<bool> AskCancelAsync(long experimentId)
    {
        try { await redis.GetSubscriber().PublishAsync(CancelChannel, experimentId.ToString(System.Globalization.CultureInfo.InvariantCulture)); return true; }
        catch (Exception e) when (e is RedisException or TimeoutException) { LogFailure(e); return false; }
    }

    Task Send(ExperimentUpdate update)
    {
        // fire and forget: the connection keeps the order, and a run's mailbox never waits on Redis' answer
        try { redis.GetSubscriber().Publish(UpdatesChannel, JsonSerializer.Serialize(new Envelope(Origin, update), WorkerProtocol.Json), CommandFlags.FireAndForget); }
        catch (Exception e) when (e is RedisException or TimeoutException) { LogFailure(e); }
        return Task.CompletedTask;
    }

    void Receive(RedisValue message)
    {
        Envelope? envelope;
        try { envelope = JsonSerializer.Deserialize<Envelope>((string)message!, WorkerProtocol.Json); }
        catch (JsonException e) { logger.LogWarning("ignored a live update on {Channel} that is not one: {Message}", UpdatesChannel, e.Message); return; }
        if (envelope is null || envelope.Origin == Origin) return;
        notifier.PublishRelayed(envelope.Update);
    }

    // at most once a minute: a Redis that is down for an hour should not write a line per point
    void LogFailure(Exception e)
    {
        if (DateTime.UtcNow - lastFailureLogged < TimeSpan.FromMinutes(1)) return;
        lastFailureLogged = DateTime.UtcNow;
        logger.LogWarning("live updates could not reach Redis ({Message}); pages on other hosts show them after a reload", e.Message);
    }
}
