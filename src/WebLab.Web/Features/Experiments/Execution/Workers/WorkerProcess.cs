// The lab's side of a run in a worker process: start `WebLab.Web.dll worker ID` (the same binary), forward its live updates
// to the notifier, pass cancel and shutdown to it, and say how the run ended, also when the worker died without saying.
// Why a process per run: the native memory of a run (libtorch, glibc's arenas) goes back to the system when it exits, and a
// native crash or an out-of-memory kill in a trainer fails that run instead of taking the web host down with it.
using System.Diagnostics;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments.Workers;

public sealed class WorkerProcess(ExperimentNotifier notifier, RunCancellation cancellation, LabPaths paths, IOptions<WebLabOptions> options,
    ILogger<WorkerProcess> logger)
{
    /// <summary>How long a worker asked to stop (cancel, shutdown) may take to reach its step boundary and exit before it is killed.</summary>
    public static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(30);

    /// <summary>The running workers' process ids by experiment (for diagnostics and the crash test).</summary>
    public IReadOnlyDictionary<long, int> Running => running;
    readonly System.Collections.Concurrent.ConcurrentDictionary<long, int> running = new();

    /// <summary>Runs the claimed experiment <paramref name="experimentId"/> in a worker process to its end.</summary>
    public async Task<WorkerResult> RunAsync(long experimentId, string device, CancellationToken hostToken)
    {
        using var process = Process.Start(StartInfo(experimentId, device))
            ?? throw new InvalidOperationException("could not start a worker process");
        running[experimentId] = process.Id;
        logger.LogInformation("experiment {Id} runs in worker process {Pid}", experimentId, process.Id);
        var cts = cancellation.Register(experimentId, hostToken);
        try
        {
            // a person's cancel or the lab's shutdown goes to the worker, which stops at its next step boundary
            using var stop = cts.Token.Register(() => Say(process, hostToken.IsCancellationRequested ? WorkerProtocol.Shutdown : WorkerProtocol.Cancel));
            using var kill = cts.Token.Register(() => _ = KillAfterGraceAsync(process));
            var errors = PumpAsync(process.StandardError, line => logger.LogInformation("worker {Id}: {Line}", experimentId, line));
            WorkerResult? result = null;
            await PumpAsync(process.StandardOutput, line =>
            {
                var (update, reported) = WorkerProtocol.Parse(line);
                if (update is not null) notifier.Publish(update);
                else if (reported is not null) result = reported;
                else logger.LogInformation("worker {Id}: {Line}", experimentId, line);
            });
            await errors;
            await process.WaitForExitAsync(CancellationToken.None);
            return result ?? Died(experimentId, process.ExitCode);
        }
        finally
        {
            running.TryRemove(experimentId, out _);
            cancellation.Unregister(experimentId, cts);
        }
    }

    WorkerResult Died(long experimentId, int exitCode)
    {
        var reason = $"the worker process {WorkerProtocol.ExitReason(exitCode)}";
        logger.LogError("experiment {Id}: {Reason}", experimentId, reason);
        var state = paths.Run(experimentId).SavedState;
        return new(ExperimentStatus.Failed, state is null ? reason : $"{reason}; Resume continues it from its state after step {state.Step}");
    }

    ProcessStartInfo StartInfo(long experimentId, string device)
    {
        var o = options.Value;
        // the worker is this very program: `dotnet WebLab.Web.dll worker ID`, configured as this lab is where it matters
        var start = new ProcessStartInfo(DotnetHost, [typeof(WorkerProcess).Assembly.Location, WorkerMain.Verb, experimentId.ToString(),
            $"--WebLab:DataDirectory={paths.DataDirectory}", $"--WebLab:Device={device}",
            $"--WebLab:DatabaseTimeoutSeconds={o.DatabaseTimeoutSeconds}", $"--WebLab:EnableDiagnosticMethods={o.EnableDiagnosticMethods}",
            $"--WebLab:LibTorchDirectory={o.LibTorchDirectory}", $"--WebLab:Database={o.Database}", $"--WebLab:Artifacts:Root={paths.ArtifactsRoot}"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            WorkingDirectory = Directory.GetCurrentDirectory(),
        };
        foreach (var (key, value) in o.Judge.AsEnvironment()) start.Environment[key] = value;   // the judge's key stays off the command line
        if (o.Database == LabDatabase.Postgres) start.Environment["WebLab__PostgresConnectionString"] = o.PostgresConnectionString;   // so does the database's password
        return start;
    }

    static string DotnetHost => Environment.ProcessPath is { } p && Path.GetFileNameWithoutExtension(p) == "dotnet" ? p : "dotnet";

    static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        while (await reader.ReadLineAsync() is { } line) onLine(line);
    }

    void Say(Process process, string command)
    {
        try { process.StandardInput.WriteLine(command); process.StandardInput.Flush(); }
        catch (Exception e) when (e is IOException or InvalidOperationException) { logger.LogDebug(e, "worker {Pid} is gone", process.Id); }
    }

    async Task KillAfterGraceAsync(Process process)
    {
        try
        {
            await process.WaitForExitAsync(new CancellationTokenSource(StopGrace).Token);
        }
        catch (OperationCanceledException)
        {
            logger.LogWarning("worker {Pid} did not stop within {Grace}; killing it", process.Id, StopGrace);
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }
        catch (InvalidOperationException) { }                               // already disposed: it ended
    }
}
