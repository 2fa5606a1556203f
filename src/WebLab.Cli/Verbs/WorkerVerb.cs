// weblab worker --queues cpu[,cuda0…] --lab URL [--data DIR] [--WebLab:Key=value …]: a worker host with no web UI that
// says hello to its lab with a worker token (WebLab__Workers__Token), joins the lab's shared queue on PostgreSQL and runs
// the runs handed to its device queues (Features/Experiments/Execution/Workers/QueueWorker). Ctrl+C stops it.
using WebLab.Web.Features.Experiments.Workers;

namespace WebLab.Cli.Verbs;

public static class WorkerVerb
{
    public static int Run(string[] args)
    {
        string[] queues, settings;
        try { (queues, settings) = QueueWorker.ParseQueues(args); }
        catch (ArgumentException e) { throw new CliException("worker: " + e.Message); }
        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        Console.Error.WriteLine($"worker: serving {string.Join(", ", queues)} (Ctrl+C stops)");
        try { return QueueWorker.RunAsync(queues, settings, cts.Token).GetAwaiter().GetResult(); }
        catch (WorkerHelloLoop.RefusedException e) { throw new CliException("worker: " + e.Message); }
    }
}
