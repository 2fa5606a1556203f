// A worker host with no web UI (issue 31): `WebLab.Web queue-worker --queues cpu,cuda0 --lab URL [--data DIR] [--WebLab:Key=value …]`
// with its worker token in WebLab__Workers__Token, or the
// CLI's `weblab worker`, joins the lab's Hangfire storage (PostgreSQL, shared by every host) and serves the device queues
// it names: the web host's RunDispatcher hands a run to a queue when a live server of that queue has a free worker, and
// this host runs it as the web host would (a child worker process per run). The web host may run none itself
// (WebLab:Workers:Local=false). A worker host that stops beating (killed, cut off) for WebLab:Workers:LostAfterSeconds has
// its runs Failed, resumable on any worker (RunDispatcher). With WebLab:Redis its runs' live updates reach every web
// host's pages and hub clients, and a Cancel from any web host reaches it (LiveRelay).
using Hangfire;
using WebLab.Web.Extensions;

namespace WebLab.Web.Features.Experiments.Workers;

public static class QueueWorker
{
    public const string Verb = "queue-worker";

    public static bool IsQueueWorker(string[] args) => args.Length > 0 && args[0] == Verb;

    /// <summary>"--queues cpu,cuda0 [--data DIR] [--lab URL]": the queues, and the remaining arguments (the lab's settings;
    /// --data is WebLab:DataDirectory, --lab WebLab:Workers:Lab).</summary>
    public static (string[] Queues, string[] Settings) ParseQueues(string[] args)
    {
        var at = Array.IndexOf(args, "--queues");
        if (at < 0 || at + 1 >= args.Length) throw new ArgumentException("--queues QUEUE[,QUEUE…] is required, e.g. --queues cpu or --queues cuda0,cuda1");
        var queues = args[at + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var q in queues)
            if (!LabDevices.IsQueue(q)) throw new ArgumentException($"--queues: '{q}' is not a device queue (cpu, cuda0, cuda1, …)");
        var rest = args.Where((_, j) => j != at && j != at + 1).ToList();
        // --data DIR: the host's data folder (its Hangfire-free local state; run folders go to WebLab:Artifacts:Root, shared)
        Alias("--data", "WebLab:DataDirectory", _ => true, "a folder, e.g. --data /var/lib/weblab");
        // --lab URL: the web host this worker says hello to (its token comes from WebLab__Workers__Token)
        Alias("--lab", "WebLab:Workers:Lab", v => Uri.TryCreate(v, UriKind.Absolute, out _), "the web host's URL, e.g. --lab http://lab:5080");
        return (queues, [.. rest]);

        // "FLAG VALUE" → "--SETTING=VALUE"
        void Alias(string flag, string setting, Func<string, bool> valid, string needs)
        {
            var i = rest.IndexOf(flag);
            if (i < 0) return;
            if (i + 1 >= rest.Count || !valid(rest[i + 1])) throw new ArgumentException($"{flag} needs {needs}");
            rest[i] = $"--{setting}={rest[i + 1]}";
            rest.RemoveAt(i + 1);
        }
    }

    /// <summary>"worker:&lt;machine&gt;:&lt;pid&gt;": this host, as its servers are named and as it says hello.</summary>
    public static string HostName => $"worker:{Environment.MachineName}:{Environment.ProcessId}";

    /// <summary>Serves <paramref name="queues"/> until <paramref name="ct"/> fires (or the host is stopped).</summary>
    public static async Task<int> RunAsync(string[] queues, string[] settings, CancellationToken ct = default)
    {
        var builder = Host.CreateApplicationBuilder(settings);
        builder.AddWebLabData();
        builder.AddWebLabAccounts();
        builder.AddWebLabRuns();
        var lab = builder.Configuration.GetSection(WebLabOptions.Section).Get<WebLabOptions>() ?? new();
        if (lab.Database != LabDatabase.Postgres)
            throw new ArgumentException("a worker on its own joins the lab's shared queue: WebLab:Database must be Postgres (with its connection string)");
        builder.AddWebLabHangfireStorage();
        builder.AddWebLabLiveUpdates(showsPages: false);   // with WebLab:Redis, its runs' updates reach every web host
        foreach (var queue in queues)
            builder.Services.AddHangfireServer((sp, o) =>
            {
                o.ServerName = $"{HostName}:{queue}";
                o.Queues = [queue];
                o.WorkerCount = queue == "cpu" ? Math.Max(1, lab.Workers.Cpu) : 1;
                o.HeartbeatInterval = TimeSpan.FromSeconds(Math.Max(1, lab.Workers.LostAfterSeconds / 6.0));   // the web host's RunDispatcher watches it
            });
        builder.Services.AddSingleton(new WorkerHelloLoop.Queues(queues));
        builder.Services.AddSingleton<WorkerHelloLoop>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<WorkerHelloLoop>());
        using var host = builder.Build();
        host.Services.GetRequiredService<LabDevices>();                      // loads WebLab:LibTorchDirectory's libtorch
        await host.Services.GetRequiredService<WorkerHelloLoop>().SayHelloAsync(ct);   // a lab that refuses this worker stops it here
        await host.RunAsync(ct);
        return 0;
    }
}
