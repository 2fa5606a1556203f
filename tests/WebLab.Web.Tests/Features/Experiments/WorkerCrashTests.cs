// Runs in worker processes (WebLab:Isolation=Worker, the default): a worker killed with SIGKILL mid-run fails that run only,
// with the reason and its resumable step; the lab keeps answering and streaming; Resume finishes the run in a new worker
// with every step logged once. Real sft tiny-cpu runs, a real Hangfire server, real SQLite files, real child processes.
using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Experiments.Workers;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class WorkerCrashTests : IAsyncLifetime
{
    const int Steps = 300;
    readonly LabFactory lab = new(MethodCatalog.Default) { Settings = { ["WebLab:Isolation"] = "Worker" } };

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await lab.DisposeAsync();

    [Fact]
    public async Task A_worker_killed_mid_run_fails_only_its_run_and_resume_finishes_it()
    {
        var http = lab.CreateClient();
        var statuses = new System.Collections.Concurrent.ConcurrentQueue<StatusUpdate>();
        using var watch = lab.Services.GetRequiredService<ExperimentNotifier>().Subscribe(null, u =>
        {
            if (u is StatusUpdate s) statuses.Enqueue(s);
            return Task.CompletedTask;
        });
        var id = await http.LaunchAsync(new JsonObject { ["steps"] = Steps, ["evalEvery"] = Steps, ["evalPerSplit"] = 4 }, method: "sft");   // tiny-cpu, state every 100 steps, evaluated at the end
        await http.WaitForAsync(id, e => (long)e["step"]! > 150, seconds: 300);
        var workers = lab.Services.GetRequiredService<WorkerProcess>();
        var pid = workers.Running[id];
        Assert.NotEqual(Environment.ProcessId, pid);                        // the run is not in the lab's process
        Process.GetProcessById(pid).Kill();                                 // SIGKILL on Linux: no code of the worker runs

        var failed = await http.WaitForStatusAsync(id, "Failed", seconds: 30);
        var error = (string)failed["error"]!;
        Assert.StartsWith("the worker process was killed (SIGKILL", error);
        Assert.Matches(@"Resume continues it from its state after step [12]00$", error);
        await Poll.UntilAsync(() => statuses.Any(s => s.ExperimentId == id && s.Status == ExperimentStatus.Failed), "the live stream told of the failure");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/experiments")).StatusCode);     // the lab is up
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/experiments/{id}")).StatusCode);   // and serves its pages

        var k = await ResumeTests.ResumeAsync(http, id);
        await http.WaitForStatusAsync(id, "Succeeded", seconds: 300);
        var loss = await http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss");
        Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), loss.Select(m => (long)m!["step"]!));   // each step once
        double at(long step) => (double)loss[(int)step - 1]!["value"]!;
        Assert.True(at(k + 1) < at(1) - 1.0, $"loss {at(k + 1):F2} after resuming at {k}, {at(1):F2} at step 1: the model was carried over");
        Assert.Equal(["final"], (await http.ListAsync($"/api/experiments/{id}/checkpoints")).Select(c => (string)c!["kind"]!));
        Assert.Empty(workers.Running);
    }
}
