// Live updates of runs, in process: components and the SignalR bridge subscribe; the run-log writer and jobs publish.
using System.Collections.Concurrent;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public sealed record MetricDto(long Id, long Step, string Name, double Value, DateTimeOffset Time);
public sealed record SampleDto(long Id, long Step, string Role, string Prompt, string Completion, double? Reward, bool? Correct, string? ExtraJson = null,
    string? ReviewStatus = null, string? ReviewComment = null);

public abstract record ExperimentUpdate(long ExperimentId);
public sealed record MetricsUpdate(long ExperimentId, IReadOnlyList<MetricDto> Points) : ExperimentUpdate(ExperimentId);
public sealed record SamplesUpdate(long ExperimentId, IReadOnlyList<SampleDto> Samples) : ExperimentUpdate(ExperimentId);
public sealed record StatusUpdate(long ExperimentId, ExperimentStatus Status, string? Error) : ExperimentUpdate(ExperimentId);
public sealed record ProgressUpdate(long ExperimentId, long Step, long Total, double? EtaSeconds, double? Headline) : ExperimentUpdate(ExperimentId);

public sealed class ExperimentNotifier(ILogger<ExperimentNotifier> logger)
{
    readonly ConcurrentDictionary<Guid, (long? ExperimentId, Func<ExperimentUpdate, Task> Handler)> subscribers = new();

    /// <summary>Calls <paramref name="handler"/> for updates of one experiment, or of all when <paramref name="experimentId"/> is null. Dispose to stop.</summary>
    public IDisposable Subscribe(long? experimentId, Func<ExperimentUpdate, Task> handler)
    {
        var key = Guid.NewGuid();
        subscribers[key] = (experimentId, handler);
        return new Unsubscriber(() => subscribers.TryRemove(key, out _));
    }

    public async Task PublishAsync(ExperimentUpdate update)
    {
        foreach (var (_, (id, handler)) in subscribers)
        {
            if (id is not null && id != update.ExperimentId) continue;
            try { await handler(update); }
            catch (Exception e) { logger.LogWarning(e, "an experiment update subscriber failed"); }
        }
    }

    sealed class Unsubscriber(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
