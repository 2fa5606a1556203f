// IRunLog for one running experiment: events go into a channel; one consumer writes them to SQLite in batches
// (every 250 ms or 500 items) and only then publishes them, with their ids, to live watchers. Training never waits on the DB.
// A batch whose write fails (database locked past its timeout, disk full) is kept and retried with backoff, in order,
// while later events queue behind it: a fault delays points, it does not drop them. Once the run has ended the writer
// retries for GiveUpAfterEnd more, then logs what it could not write.
// Fencing: a writer given its run's claim (the start its job wrote when it took the run) writes only while the run is
// Running with that start. A run failed as lost (its host went silent) and resumed elsewhere has another start, so a late
// writer from the lost host writes nothing more, drops what it holds, and says so through Lost (its job then stops).
using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using Rows = WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public sealed class RunLogWriter : IRunLog, IAsyncDisposable
{
    public static readonly TimeSpan BatchWindow = TimeSpan.FromMilliseconds(250);
    public const int BatchSize = 500;
    /// <summary>Waits between attempts at a failed batch: 0.25 s, doubling, at most 8 s.</summary>
    public static TimeSpan RetryDelay(int attempt) => TimeSpan.FromMilliseconds(250 * Math.Pow(2, Math.Min(attempt - 1, 5)));
    public static readonly TimeSpan GiveUpAfterEnd = TimeSpan.FromMinutes(2);

    readonly Channel<object> channel = Channel.CreateUnbounded<object>(new() { SingleReader = true });
    readonly long experimentId;
    readonly string? headlineMetric;
    readonly DateTimeOffset startedAt;
    readonly long firstStep;
    readonly IDbContextFactory<WebLabDb> dbs;
    readonly ExperimentNotifier notifier;
    readonly ILogger logger;
    readonly Task consumer;
    readonly Stopwatch sinceEnd = new();
    readonly DateTimeOffset? claim;
    readonly CancellationTokenSource lost = new();

    /// <summary>Fires when the run is no longer this writer's (see fencing above).</summary>
    public CancellationToken Lost => lost.Token;

    /// <param name="firstStep">Steps already done when this process started the run (a resumed run), for the ETA.</param>
    /// <param name="claim">The run's StartedAt as stored when its job claimed it: the writer's fence; null writes unfenced.</param>
    public RunLogWriter(long experimentId, string? headlineMetric, DateTimeOffset startedAt,
        IDbContextFactory<WebLabDb> dbs, ExperimentNotifier notifier, ILogger logger, long firstStep = 0, DateTimeOffset? claim = null)
    {
        (this.experimentId, this.headlineMetric, this.startedAt, this.dbs, this.notifier, this.logger, this.firstStep, this.claim) =
            (experimentId, headlineMetric, startedAt, dbs, notifier, logger, firstStep, claim);
        consumer = Task.Run(ConsumeAsync);
    }

    public void Metrics(IReadOnlyList<Training.Experiments.MetricPoint> points)
    {
        var now = DateTimeOffset.UtcNow;
        foreach (var p in points) channel.Writer.TryWrite(new Rows.MetricPoint { ExperimentId = experimentId, Step = p.Step, Name = p.Name, Value = p.Value, Time = now });
    }

    public void Samples(IReadOnlyList<SampleRecord> samples)
    {
        foreach (var s in samples)
            channel.Writer.TryWrite(new Sample { ExperimentId = experimentId, Step = s.Step, Role = SampleRoles.Name(s.Role), Prompt = s.Prompt, Completion = s.Completion, Reward = s.Reward, Correct = s.Correct, ExtraJson = s.ExtraJson });
    }

    public void Verdicts(IReadOnlyList<VerdictRecord> verdicts)
    {
        foreach (var v in verdicts)
            channel.Writer.TryWrite(new Verdict
            {
                ExperimentId = experimentId, Step = v.Step, Split = v.Split, Prompt = v.Prompt, TrainedAnswer = v.TrainedAnswer,
                BaseAnswer = v.BaseAnswer, TrainedShownFirst = v.TrainedShownFirst, Judge = v.Judge, Outcome = VerdictOutcomes.Name(v.Verdict), Rationale = v.Rationale,
                Expected = v.Expected, TrainedCorrect = v.TrainedCorrect, BaseCorrect = v.BaseCorrect,
            });
    }

    public void Checkpoint(CheckpointRecord c) =>
        channel.Writer.TryWrite(new Checkpoint { ExperimentId = experimentId, Step = c.Step, Path = c.Path, Kind = CheckpointKinds.Name(c.Kind), CreatedAt = DateTimeOffset.UtcNow });

    public void Progress(long step, long totalSteps) => channel.Writer.TryWrite(new ProgressMark(step, totalSteps));

    public void Info(string message) => logger.LogInformation("experiment {Id}: {Message}", experimentId, message);

    /// <summary>How long <see cref="Flush"/> waits for the database before the run goes on regardless (and says so).</summary>
    public static readonly TimeSpan FlushTimeout = TimeSpan.FromMinutes(5);

    /// <summary>Blocks until everything logged before this call is committed (the consumer writes at once, without its window).</summary>
    public void Flush()
    {
        var mark = new FlushMark();
        if (!channel.Writer.TryWrite(mark)) return;                         // completed: DisposeAsync writes the rest
        if (!mark.Done.Task.Wait(FlushTimeout))
            logger.LogWarning("experiment {Id}: the run log was not stored within {Timeout}; the state is saved anyway", experimentId, FlushTimeout);
    }

    /// <summary>Writes everything still queued, then stops the consumer.</summary>
    public async ValueTask DisposeAsync()
    {
        sinceEnd.Start();
        channel.Writer.TryComplete();
        await consumer;
    }

    async Task ConsumeAsync()
    {
        var reader = channel.Reader;
        var batch = new List<object>();
        while (await reader.WaitToReadAsync())
        {
            var window = Stopwatch.StartNew();
            while (batch.Count < BatchSize)
            {
                if (reader.TryRead(out var item))
                {
                    batch.Add(item);
                    if (item is FlushMark) break;                          // someone waits: write what came before it now
                    continue;
                }
                var left = BatchWindow - window.Elapsed;
                if (left <= TimeSpan.Zero) break;
                using var timeout = new CancellationTokenSource(left);
                try { if (!await reader.WaitToReadAsync(timeout.Token)) break; }
                catch (OperationCanceledException) { break; }
            }
            if (await PersistWithRetryAsync(batch)) Publish(batch);
            foreach (var mark in batch.OfType<FlushMark>()) mark.Done.TrySetResult();
            batch.Clear();
        }
    }

    /// <summary>True once the batch is stored; false only when the run has ended and the database stayed unwritable.</summary>
    async Task<bool> PersistWithRetryAsync(List<object> batch)
    {
        for (int attempt = 1; ; attempt++)
        {
            if (lost.IsCancellationRequested) return false;                 // fenced off: nothing more is written
            try
            {
                await PersistAsync(batch);
                if (attempt > 1) logger.LogInformation("experiment {Id}: wrote {Count} log items at attempt {Attempt}", experimentId, batch.Count, attempt);
                return true;
            }
            catch (ClaimLostException)
            {
                logger.LogWarning("experiment {Id}: the run is no longer this process's (failed as lost, perhaps resumed elsewhere); dropping {Count} log items and stopping it",
                    experimentId, batch.Count);
                lost.Cancel();
                return false;
            }
            catch (Exception e)
            {
                if (sinceEnd.IsRunning && sinceEnd.Elapsed > GiveUpAfterEnd)
                {
                    logger.LogError(e, "experiment {Id}: could not write {Count} log items after the run ended; giving up", experimentId, batch.Count);
                    return false;
                }
                var delay = RetryDelay(attempt);
                logger.LogWarning(e, "experiment {Id}: writing {Count} log items failed (attempt {Attempt}); retrying in {Delay}", experimentId, batch.Count, attempt, delay);
                // a failed SaveChanges may leave a store-generated key on an entity; a retry must insert it afresh
                foreach (var item in batch) item.GetType().GetProperty("Id")?.SetValue(item, 0L);
                await Task.Delay(delay);
            }
        }
    }

    // step 1: persist rows and the experiment's progress and headline in one transaction (ids are assigned here)
    async Task PersistAsync(List<object> batch)
    {
        await using var db = await dbs.CreateDbContextAsync();
        var progress = batch.OfType<ProgressMark>().LastOrDefault();
        var headline = batch.OfType<Rows.MetricPoint>().LastOrDefault(m => m.Name == headlineMetric);
        if (claim is not null || progress is not null || headline is not null)
        {
            // one read of the run's row: the fence, then its progress and headline
            var row = await db.Experiments.SingleAsync(e => e.Id == experimentId);
            if (claim is { } start && (row.Status != ExperimentStatus.Running || row.StartedAt != start)) throw new ClaimLostException();
            if (progress is not null) (row.Step, row.TotalSteps) = (progress.Step, progress.Total);
            if (headline is not null) (row.HeadlineMetricName, row.HeadlineMetricValue) = (headline.Name, headline.Value);
        }
        // the resumable state is one folder, rewritten in place: one "latest" row, moved to its newest step
        var latest = batch.OfType<Checkpoint>().LastOrDefault(c => c.Kind == CheckpointKinds.Latest);
        var stored = latest is null ? null : await db.Checkpoints.FirstOrDefaultAsync(c => c.ExperimentId == experimentId && c.Kind == CheckpointKinds.Latest);
        if (stored is not null) (stored.Step, stored.Path, stored.CreatedAt) = (latest!.Step, latest.Path, latest.CreatedAt);
        db.AddRange(batch.Where(i => i is not (ProgressMark or FlushMark) && !(i is Checkpoint { Kind: CheckpointKinds.Latest } c && (stored is not null || c != latest))));
        await db.SaveChangesAsync();
    }

    // step 2: fan out, after the write, so a late watcher can dedupe by id; never waits for a watcher
    void Publish(List<object> batch)
    {
        var metrics = batch.OfType<Rows.MetricPoint>().ToList();
        var samples = batch.OfType<Sample>().ToList();
        var progress = batch.OfType<ProgressMark>().LastOrDefault();
        var headline = metrics.LastOrDefault(m => m.Name == headlineMetric);
        if (metrics.Count > 0)
            notifier.Publish(new MetricsUpdate(experimentId, metrics.Select(m => new MetricDto(m.Id, m.Step, m.Name, m.Value, m.Time)).ToList()));
        if (samples.Count > 0)
            notifier.Publish(new SamplesUpdate(experimentId, samples.Select(ExperimentDtos.ToDto).ToList()));
        if (progress is not null)
            notifier.Publish(new ProgressUpdate(experimentId, progress.Step, progress.Total,
                Eta.Seconds(startedAt, progress.Step, progress.Total, DateTimeOffset.UtcNow, firstStep), headline?.Value));
    }

    sealed record ProgressMark(long Step, long Total);

    sealed class ClaimLostException : Exception;

    sealed class FlushMark
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>Creates run-log writers with the app's services.</summary>
public sealed class RunLogWriterFactory(IDbContextFactory<WebLabDb> dbs, ExperimentNotifier notifier, ILogger<RunLogWriter> logger)
{
    public RunLogWriter Create(long experimentId, string? headlineMetric, DateTimeOffset startedAt, long firstStep = 0, DateTimeOffset? claim = null) =>
        new(experimentId, headlineMetric, startedAt, dbs, notifier, logger, firstStep, claim);
}

public static class Eta
{
    /// <summary>Seconds left, from the average time per step since <paramref name="startedAt"/> (when step was <paramref name="firstStep"/>); null before the first step.</summary>
    public static double? Seconds(DateTimeOffset? startedAt, long step, long total, DateTimeOffset now, long firstStep = 0)
    {
        if (startedAt is null || step <= firstStep || total <= step) return total > 0 && step >= total ? 0 : null;
        var perStep = (now - startedAt.Value).TotalSeconds / (step - firstStep);
        return Math.Round(perStep * (total - step), 1);
    }

    /// <summary>Seconds left for a run as its row stands: only a Running run has any (a finished one shows none).</summary>
    public static double? Left(Records.Experiment e, DateTimeOffset now) =>
        e.Status == Records.ExperimentStatus.Running ? Seconds(e.StartedAt, e.Step, e.TotalSteps, now) : null;
}
