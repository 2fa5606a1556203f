// Workers on their own (issue 31): without local workers the lab refuses SQLite; a worker killed mid-run leaves its run
// Failed and resumable within the stated time (WebLab:Workers:LostAfterSeconds), and a resume on another worker finishes
// it as the same run left alone ends, loss for loss. (Runs executing once on separate worker processes, and waiting while
// no worker serves their queue, are ClusterTests'.)
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Database;

/// <summary>Without local workers the queue must be one other hosts can share: on SQLite the lab refuses to start.</summary>
public sealed class WorkersLocalGuardTests
{
    [Fact]
    public async Task A_lab_without_local_workers_on_sqlite_refuses_to_start_saying_why()
    {
        await using var lab = new LabFactory();
        lab.Settings["WebLab:Workers:Local"] = "false";
        var e = Assert.ThrowsAny<Exception>(() => lab.CreateClient());
        Assert.Contains("set WebLab:Database=Postgres", (e.InnerException ?? e).Message + e.Message);
    }
}

/// <summary>The worker fault test in a class of its own, so that xUnit runs it beside the other classes (it mostly waits).</summary>
public sealed class WorkerKillTests
{
    [Fact]
    public async Task A_killed_workers_run_fails_resumable_in_time_and_finishes_whole_on_another_worker()
    {
        var connection = TestPostgres.NewDatabase();
        await using var lab = new LabFactory(WebLab.Training.Experiments.MethodCatalog.Default);
        var settings = new Dictionary<string, string>
        {
            ["WebLab:Database"] = "Postgres", ["WebLab:PostgresConnectionString"] = connection, ["WebLab:QueuePollIntervalMs"] = "100",
            ["WebLab:Workers:LostAfterSeconds"] = "5",
        };
        foreach (var (key, value) in settings) lab.Settings[key] = value;
        lab.Settings["WebLab:Workers:Local"] = "false";
        var http = lab.Serve();                                               // on a loopback port: the workers say hello to it
        settings["WebLab:Workers:Lab"] = http.BaseAddress!.ToString();
        settings["WebLab:Workers:Token"] = await WorkerHost.MakeTokenAsync(http, "kill test");

        const int steps = 120;
        var overrides = new JsonObject { ["steps"] = steps, ["evalEvery"] = steps, ["evalPerSplit"] = 2, ["checkpointEvery"] = 20, ["threads"] = 1, ["batchSize"] = 16 };
        // the same run twice, queued in this order on a one-run worker: left alone, then killed mid-run
        var reference = await http.LaunchAsync(overrides, method: "sft", name: "left alone");
        var id = await http.LaunchAsync(overrides, method: "sft", name: "killed worker");
        using (var first = new WorkerHost(lab.DataDirectory, settings))
        {
            try
            {
                await http.WaitForStatusAsync(reference, "Succeeded", seconds: 120);
                await http.WaitForAsync(id, e => e.Status() == "Running" && (long)e["step"]! >= 30, seconds: 120);
            }
            catch (Exception e) { throw new Xunit.Sdk.XunitException($"{e.Message}\nworker output:\n{first.Output}"); }
            first.Kill();
        }
        var clock = Stopwatch.StartNew();
        var failed = await http.WaitForStatusAsync(id, "Failed", seconds: 60);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 5 + 10);                               // the stated 5 s, a poll and a margin
        Assert.Matches(@"sent no heartbeat for 5 s \(killed or cut off\); Resume continues it from its state after step \d+$", (string)failed["error"]!);

        using var second = new WorkerHost(lab.DataDirectory, settings);
        var k = await WebLab.Web.Tests.Features.Experiments.ResumeTests.ResumeAsync(http, id);
        Assert.True(k >= 20 && k % 20 == 0 && k < steps, $"resumed after {k}");
        try { await http.WaitForStatusAsync(id, "Succeeded", seconds: 120); }
        catch (Exception e) { throw new Xunit.Sdk.XunitException($"{e.Message}\nworker output:\n{second.Output}"); }
        // every step's loss once, each equal to the run left alone's: the resume on another worker continued it exactly
        async Task<List<(long Step, double Value)>> Loss(long run) =>
            [.. (await http.ListAsync($"/api/experiments/{run}/metrics?name=train/loss")).Select(m => ((long)m!["step"]!, (double)m["value"]!))];
        var (want, got) = (await Loss(reference), await Loss(id));
        Assert.Equal(Enumerable.Range(1, steps).Select(s => (long)s), got.Select(m => m.Step));
        Assert.Equal(want, got);
        // and the same final weights, byte for byte
        async Task<string> FinalWeights(long run)
        {
            var final = (await http.ListAsync($"/api/experiments/{run}/checkpoints")).Single(c => (string)c!["kind"]! == "final")!;
            var weights = Path.Combine((string)final["path"]!, "model.safetensors");
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(await File.ReadAllBytesAsync(weights)));
        }
        Assert.Equal(await FinalWeights(reference), await FinalWeights(id));
    }
}
