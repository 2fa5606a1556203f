// The worker's side: `WebLab.Web.dll worker ID [--WebLab:Key=value …]` runs one claimed experiment in this process and
// reports to the lab that started it (WorkerProtocol): live updates and the result on standard output, log lines on
// standard error; "cancel" / "shutdown" (or the end of input) on standard input stop it at its next step boundary.
using WebLab.Web.Extensions;

namespace WebLab.Web.Features.Experiments.Workers;

public static class WorkerMain
{
    public const string Verb = "worker";

    public static bool IsWorker(string[] args) => args.Length > 0 && args[0] == Verb;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length < 2 || !long.TryParse(args[1], out var id))
        {
            await Console.Error.WriteLineAsync("usage: WebLab.Web worker EXPERIMENT_ID [--WebLab:Key=value …]");
            return 2;
        }
        var builder = Host.CreateApplicationBuilder(args[2..]);
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);   // stdout carries the protocol
        builder.AddWebLabData();
        builder.AddWebLabRuns();
        using var host = builder.Build();
        host.Services.GetRequiredService<LabDevices>();                      // loads WebLab:LibTorchDirectory's libtorch, as the lab did

        var stdout = Console.Out;
        var notifier = host.Services.GetRequiredService<ExperimentNotifier>();
        using var forward = notifier.Subscribe(id, u => { lock (stdout) stdout.WriteLine(WorkerProtocol.Update(u)); return Task.CompletedTask; });
        var cancel = new CancellationTokenSource();                          // not disposed: the listener may fire them until exit
        var shutdown = new CancellationTokenSource();
        _ = Task.Run(() => ListenAsync(cancel, shutdown));

        var (status, error) = await host.Services.GetRequiredService<ExperimentJob>().ExecuteAsync(id, shutdown.Token, cancel.Token);
        await forward.FlushAsync(TimeSpan.FromSeconds(10));                  // every point out before the result
        lock (stdout) stdout.WriteLine(WorkerProtocol.Result(new(status, error)));
        return 0;
    }

    static async Task ListenAsync(CancellationTokenSource cancel, CancellationTokenSource shutdown)
    {
        while (await Console.In.ReadLineAsync() is { } line)
        {
            if (line == WorkerProtocol.Cancel) cancel.Cancel();
            if (line == WorkerProtocol.Shutdown) break;
        }
        shutdown.Cancel();                                                   // asked to, or the lab is gone
    }
}
