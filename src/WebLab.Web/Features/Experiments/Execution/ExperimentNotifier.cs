// Live updates of runs, in process: the run-log writer and jobs publish; components and the SignalR bridge subscribe.
// Publishing never blocks and never fails: each subscriber has its own bounded mailbox, drained by its own loop, so a
// watcher that is slow, dead or throws delays no one else (not the run-log writer, the database, the job's status, nor
// another watcher). See Mailbox for the queueing policy and when a subscriber is dropped.
using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public sealed record MetricDto(long Id, long Step, string Name, double Value, DateTimeOffset Time);
public sealed record SampleDto(long Id, long Step, string Role, string Prompt, string Completion, double? Reward, bool? Correct, string? ExtraJson = null,
    string? ReviewStatus = null, string? ReviewComment = null, string? ReviewedBy = null);

// Polymorphic in JSON: a worker process sends its updates to the lab as lines of it (Workers/WorkerProtocol).
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(MetricsUpdate), "metrics")]
[JsonDerivedType(typeof(SamplesUpdate), "samples")]
[JsonDerivedType(typeof(StatusUpdate), "status")]
[JsonDerivedType(typeof(ProgressUpdate), "progress")]
public abstract record ExperimentUpdate(long ExperimentId);
public sealed record MetricsUpdate(long ExperimentId, IReadOnlyList<MetricDto> Points) : ExperimentUpdate(ExperimentId);
public sealed record SamplesUpdate(long ExperimentId, IReadOnlyList<SampleDto> Samples) : ExperimentUpdate(ExperimentId);
public sealed record StatusUpdate(long ExperimentId, ExperimentStatus Status, string? Error) : ExperimentUpdate(ExperimentId);
public sealed record ProgressUpdate(long ExperimentId, long Step, long Total, double? EtaSeconds, double? Headline) : ExperimentUpdate(ExperimentId);

/// <summary>How long a subscriber's handler may take for one update, and how much may queue for it, before it is dropped.</summary>
public sealed record NotifierLimits(TimeSpan HandlerTimeout, int Capacity)
{
    /// <summary>5 s: a live page's handler takes milliseconds; a dead circuit's JS call would hang for 60 s.
    /// 1,024 queued updates: at four batches a second from each of several runs, minutes of backlog.</summary>
    public static NotifierLimits Default { get; } = new(TimeSpan.FromSeconds(5), 1024);
}

public sealed class ExperimentNotifier(ILogger<ExperimentNotifier> logger, NotifierLimits? limits = null)
{
    readonly ConcurrentDictionary<Subscription, byte> subscribers = new();
    readonly NotifierLimits limits = limits ?? NotifierLimits.Default;

    /// <summary>
    /// Calls <paramref name="handler"/> for updates of one experiment, or of all when <paramref name="experimentId"/> is
    /// null, one at a time and in order, on a loop of its own. Dispose to stop. A handler that throws, takes longer than the
    /// timeout or falls <see cref="NotifierLimits.Capacity"/> updates behind is dropped; <see cref="Subscription.Dropped"/> says why.
    /// <paramref name="localOnly"/>: only the updates raised in this process, not those relayed from other hosts (what the
    /// relay sends on, and the hub bridge, whose backplane already reached every host's clients from the origin).
    /// </summary>
    public Subscription Subscribe(long? experimentId, Func<ExperimentUpdate, Task> handler, bool localOnly = false)
    {
        var s = new Subscription(this, experimentId, handler) { LocalOnly = localOnly };
        subscribers[s] = 0;
        s.Start();
        return s;
    }

    /// <summary>Queues the update, raised in this process, for every interested subscriber and returns at once.</summary>
    public void Publish(ExperimentUpdate update) => Deliver(update, relayed: false);

    /// <summary>Queues an update another host raised (LiveRelay) for the subscribers that take relayed ones.</summary>
    public void PublishRelayed(ExperimentUpdate update) => Deliver(update, relayed: true);

    void Deliver(ExperimentUpdate update, bool relayed)
    {
        foreach (var s in subscribers.Keys)
            if ((s.ExperimentId is null || s.ExperimentId == update.ExperimentId) && !(relayed && s.LocalOnly))
                if (!s.Mailbox.Post(update)) Drop(s, $"fell {limits.Capacity} updates behind");
    }

    public int SubscriberCount => subscribers.Count;

    void Drop(Subscription s, string reason)
    {
        if (!subscribers.TryRemove(s, out _)) return;
        s.Close(reason);
        logger.LogWarning("dropped a live-update subscriber of experiment {Id}: it {Reason}", s.ExperimentId?.ToString() ?? "(all)", reason);
    }

    public sealed class Subscription : IDisposable
    {
        readonly ExperimentNotifier owner;
        readonly Func<ExperimentUpdate, Task> handler;
        readonly CancellationTokenSource stop = new();

        internal Subscription(ExperimentNotifier owner, long? experimentId, Func<ExperimentUpdate, Task> handler)
        {
            (this.owner, ExperimentId, this.handler) = (owner, experimentId, handler);
            Mailbox = new Mailbox(owner.limits.Capacity);
        }

        public long? ExperimentId { get; }
        internal bool LocalOnly { get; init; }
        internal Mailbox Mailbox { get; }

        /// <summary>Why the notifier stopped delivering to this subscriber; null while it is live (or after a plain Dispose).</summary>
        public string? Dropped { get; private set; }

        internal void Start() => _ = Task.Run(DrainAsync);

        async Task DrainAsync()
        {
            try
            {
                while (await Mailbox.WaitAsync(stop.Token))
                {
                    delivering = true;
                    foreach (var update in Mailbox.TakeAll())
                    {
                        try
                        {
                            await handler(update).WaitAsync(owner.limits.HandlerTimeout, stop.Token);
                        }
                        catch (TimeoutException)
                        {
                            owner.Drop(this, $"did not return within {owner.limits.HandlerTimeout.TotalSeconds:0.#} s");
                            return;
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            owner.Drop(this, $"threw {e.GetType().Name}: {e.Message}");
                            return;
                        }
                    }
                    delivering = false;
                }
            }
            catch (OperationCanceledException) { }   // disposed or dropped
        }

        volatile bool delivering;

        /// <summary>Waits (at most <paramref name="bound"/>) until everything posted so far was handled or the subscriber dropped.</summary>
        public async Task FlushAsync(TimeSpan bound)
        {
            for (var deadline = DateTime.UtcNow + bound; DateTime.UtcNow < deadline && Dropped is null; await Task.Delay(10))
                if (Mailbox.Count == 0 && !delivering) return;
        }

        internal void Close(string? reason)
        {
            Dropped ??= reason;
            stop.Cancel();
            Mailbox.Clear();
        }

        public void Dispose()
        {
            owner.subscribers.TryRemove(this, out _);
            Close(null);
        }
    }
}
