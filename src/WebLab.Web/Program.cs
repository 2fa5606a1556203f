// WebLab: start experiments from a browser, run them as background jobs, watch them live, keep every record.
using WebLab.Web.Extensions;
using WebLab.Web.Features.Experiments.Workers;

if (WorkerMain.IsWorker(args)) return await WorkerMain.RunAsync(args);   // one run in a child process of the lab
if (QueueWorker.IsQueueWorker(args))                                      // a worker host: serves device queues, no web UI
{
    var (queues, settings) = QueueWorker.ParseQueues(args[1..]);
    return await QueueWorker.RunAsync(queues, settings);
}

var builder = WebApplication.CreateBuilder(args);

// Add services
builder.AddWebLabData();
builder.AddWebLabRuns();
builder.AddWebLabJobs();
builder.AddWebLabAuth();
builder.AddWebLabApi();
builder.AddWebLabUi();

// Configure the pipeline
var app = builder.Build();
app.MapWebLab();
app.Lifetime.ApplicationStarted.Register(() =>
    app.Logger.LogInformation("WebLab listening on {Urls}", string.Join(", ", app.Urls)));
await app.RunAsync();
return 0;

/// <summary>Visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
