// The Hangfire entry point of a run: claim the Queued row, run the method (in a worker process, or on this thread with
// WebLab:Isolation=InProcess), record how it ended.
using Hangfire;
using Microsoft.EntityFrameworkCore;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Experiments.Workers;
using Microsoft.Extensions.Options;

namespace WebLab.Web.Features.Experiments;

public sealed class ExperimentJob(
    IDbContextFactory<WebLabDb> dbs, MethodCatalog catalog, DomainCatalog domains, RunLogWriterFactory logs, RunCancellation cancellation,
    ExperimentNotifier notifier, LabPaths paths, WorkerProcess workers, IOptions<WebLabOptions> options, ILogger<ExperimentJob> logger)
{
    static readonly System.Text.Json.JsonSerializerOptions ProvenanceJson = new(System.Text.Json.JsonSerializerDefaults.Web);

    /// <summary>Training is never silently re-run: no retries, and a row that is not Queued (re-delivered after a crash, cancelled) is left alone.</summary>
    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Fail)]
    public async Task Run(long experimentId, CancellationToken ct)
    {
        cancellation.Claim(experimentId);                                  // a cancel between the claim and the run's start is kept
        try { await ClaimAndRunAsync(experimentId, ct); }
        finally { cancellation.Release(experimentId); }
    }

    async Task ClaimAndRunAsync(long experimentId, CancellationToken ct)
    {
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        var startedAt = DateTimeOffset.UtcNow;
        var claimed = await db.Experiments.Where(e => e.Id == experimentId && e.Status == ExperimentStatus.Queued)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, ExperimentStatus.Running).SetProperty(e => e.StartedAt, startedAt), CancellationToken.None);
        if (claimed == 0)
        {
            logger.LogWarning("experiment {Id} is not Queued; not running it", experimentId);
            return;
        }
        notifier.Publish(new StatusUpdate(experimentId, ExperimentStatus.Running, null));
        // the claim as stored (a database may keep less precision than the clock): the fence of the final status below
        var claim = await db.Experiments.Where(e => e.Id == experimentId).Select(e => e.StartedAt).SingleAsync(CancellationToken.None);

        var (status, error) = options.Value.Isolation == RunIsolation.Worker
            ? await RunInWorkerAsync(db, experimentId, ct)
            : await ExecuteInProcessAsync(experimentId, ct);

        // only while the run is still this job's: one failed as lost meanwhile (its host went silent) may run elsewhere now
        var written = await db.Experiments.Where(e => e.Id == experimentId && e.Status == ExperimentStatus.Running && e.StartedAt == claim)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, status).SetProperty(e => e.Error, error).SetProperty(e => e.FinishedAt, DateTimeOffset.UtcNow),
                CancellationToken.None);
        if (written == 0)
        {
            logger.LogWarning("experiment {Id} is no longer this job's (failed as lost, perhaps resumed elsewhere); its end ({Status}) is not recorded", experimentId, status);
            return;
        }
        if (status == ExperimentStatus.Succeeded)
        {
            // only a stopped run resumes: a finished one keeps its final checkpoint, not the model + optimiser state
            await db.Checkpoints.Where(c => c.ExperimentId == experimentId && c.Kind == CheckpointKinds.Latest).ExecuteDeleteAsync(CancellationToken.None);
            paths.Run(experimentId).DiscardState();
        }
        notifier.Publish(new StatusUpdate(experimentId, status, error));
    }

    async Task<(ExperimentStatus, string?)> RunInWorkerAsync(WebLabDb db, long experimentId, CancellationToken ct)
    {
        var device = await db.Experiments.Where(e => e.Id == experimentId).Select(e => e.Device).SingleAsync(CancellationToken.None);
        try
        {
            var result = await workers.RunAsync(experimentId, device, ct);
            return (result.Status, result.Error);
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            logger.LogError(e, "experiment {Id}: could not start its worker process", experimentId);
            return (ExperimentStatus.Failed, $"could not start a worker process: {e.Message}");
        }
    }

    async Task<(ExperimentStatus, string?)> ExecuteInProcessAsync(long experimentId, CancellationToken ct)
    {
        try { return await ExecuteAsync(experimentId, ct); }
        finally { MemoryRelease.AfterRun(); }
    }

    /// <summary>
    /// Trains the claimed (Running) experiment in this process and says how it ended: the in-process path, and what a worker
    /// process runs. <paramref name="hostToken"/> means the host is stopping (the run then resumes at the next start);
    /// <paramref name="cancelToken"/> that a person stopped it.
    /// </summary>
    public async Task<(ExperimentStatus, string?)> ExecuteAsync(long experimentId, CancellationToken hostToken, CancellationToken cancelToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(CancellationToken.None);
        var experiment = await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == experimentId, CancellationToken.None);
        return await RunClaimedAsync(db, experiment, experiment.StartedAt ?? DateTimeOffset.UtcNow, hostToken, cancelToken);
    }

    async Task<(ExperimentStatus, string?)> RunClaimedAsync(WebLabDb db, Experiment e, DateTimeOffset startedAt, CancellationToken hostToken,
        CancellationToken cancelToken)
    {
        if (!catalog.TryGet(e.Method, out var method)) return (ExperimentStatus.Failed, $"unknown method '{e.Method}' in this build");
        var cts = cancellation.Register(e.Id, hostToken);
        using var cancelled = cancelToken.Register(cts.Cancel);
        var folder = paths.Run(e.Id);
        var runDirectory = folder.Path;
        var resume = folder.SavedState;                                     // a fresh run's folder has none; a resumed run's has
        var log = logs.Create(e.Id, method.HeadlineMetric, startedAt, resume?.Step ?? 0, claim: e.StartedAt);
        using var fenced = log.Lost.Register(cts.Cancel);                   // failed as lost meanwhile: stop at the next step
        using var peak = new Training.Runtime.PeakMemory(e.Device);          // the run's peak on its device, for its provenance
        RunSpec? spec = null;
        Training.Domains.IDomain? domain = null;
        RunProvenance? provenance = null;
        try
        {
            spec = RunSpec.FromJson(method, e.ConfigJson, domains);       // checked at launch; a build without the domain says so
            var methodOptions = spec.Options;
            domain = spec.ConfiguredDomain(domains, e.Device, options.Value.Judge.ToSettings());
            // a follow-on run starts from its parent's last kept checkpoint, never from its resumable state (which moves)
            string? parentCheckpoint = null;
            if (e.ParentExperimentId is { } parent)
            {
                parentCheckpoint = await db.Checkpoints.Where(c => c.ExperimentId == parent && c.Kind != CheckpointKinds.Latest)
                    .OrderByDescending(c => c.Step).Select(c => c.Path).FirstOrDefaultAsync();
                if (parentCheckpoint is null) return (ExperimentStatus.Failed, $"parent experiment {parent} has no checkpoint to start from (it has not finished)");
            }
            Directory.CreateDirectory(runDirectory);
            provenance = RunProvenance.Collect(methodOptions, domain, e.Device, parentCheckpoint);
            await db.Experiments.Where(x => x.Id == e.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Provenance,
                System.Text.Json.JsonSerializer.Serialize(provenance, ProvenanceJson)), CancellationToken.None);
            if (resume is not null) logger.LogInformation("experiment {Id} resumes after step {Step}", e.Id, resume.Step);
            method.Run(new ExperimentContext(e.Id, methodOptions, runDirectory, e.Device, parentCheckpoint, log, resume, options.Value.Judge.ToSettings(), domain), cts.Token);
            return cts.IsCancellationRequested ? Stopped(hostToken) : (ExperimentStatus.Succeeded, null);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return Stopped(hostToken);
        }
        catch (Exception ex) when (Training.Runtime.OutOfMemory.Is(ex))
        {
            logger.LogError(ex, "experiment {Id} ran out of memory", e.Id);
            var plan = spec is null || domain is null ? null : Training.Methods.Common.RunPlans.Of(spec, domain, e.Device);
            return (ExperimentStatus.Failed, Training.Runtime.OutOfMemory.Describe(ex, e.Device, plan, Training.Runtime.DeviceMemory.Bytes(e.Device)) + "\n\n" + ex);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "experiment {Id} failed", e.Id);
            return (ExperimentStatus.Failed, ex.ToString());
        }
        finally
        {
            if (provenance is not null)                                      // the peak, however the run ended
            {
                try
                {
                    await db.Experiments.Where(x => x.Id == e.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Provenance,
                        System.Text.Json.JsonSerializer.Serialize(provenance.WithPeak(peak.Bytes), ProvenanceJson)), CancellationToken.None);
                }
                catch (Exception x) { logger.LogWarning(x, "experiment {Id}: its peak memory was not recorded", e.Id); }   // the run's own outcome stands
            }
            await log.DisposeAsync();   // flush before the final status, so a finished run has all its points
            cancellation.Unregister(e.Id, cts);
        }
    }

    /// <summary>The error of a run stopped because the lab shut down (not by a person, not by a fault): the next start resumes it.</summary>
    public const string ShutdownError = "the lab shut down during the run";

    static (ExperimentStatus, string?) Stopped(CancellationToken hostToken) =>
        (ExperimentStatus.Cancelled, hostToken.IsCancellationRequested ? ShutdownError : null);
}
