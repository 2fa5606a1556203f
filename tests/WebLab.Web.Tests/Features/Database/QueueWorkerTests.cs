// A worker on its own (issue 31, a first step): the web host runs no worker (WebLab:Workers:Local=false) and queues runs
// on PostgreSQL; a separate `WebLab.Web queue-worker --queues cpu` process joins the queue, and the runs execute there,
// each once. Before any worker serves the queue, the runs wait. A worker killed mid-run leaves its run Failed and
// resumable within the stated time (WebLab:Workers:LostAfterSeconds), and a resume on another worker finishes it as the
// same run left alone ends, loss for loss.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Database;

public sealed class QueueWorkerTests
{
    /// <summary>A `queue-worker` process serving cpu, its runs on its own threads, with its output kept for failures.</summary>
    internal sealed class WorkerHost : IDisposable
    {
        readonly Process process;
        readonly System.Text.StringBuilder output = new();
        public int Id => process.Id;

        public WorkerHost(string dataDirectory, IReadOnlyDictionary<string, string> settings)
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { typeof(Program).Assembly.Location, "queue-worker", "--queues", "cpu", $"--WebLab:DataDirectory={dataDirectory}",
                "--WebLab:Isolation=InProcess" }.Concat(settings.Select(kv => $"--{kv.Key}={kv.Value}")))
                start.ArgumentList.Add(a);
            process = Process.Start(start)!;
            process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public string Output { get { lock (output) return output.ToString(); } }

        /// <summary>SIGKILL: no shutdown, no last heartbeat.</summary>
        public void Kill()
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        public void Dispose() { Kill(); process.Dispose(); }
    }


    [Fact]
    public async Task Runs_queued_by_a_web_host_without_workers_execute_once_on_a_separate_worker_process()
    {
        var connection = TestPostgres.NewDatabase();
        // the worker process builds its catalog from the same settings (the default one, with diagnostic-sleep enabled)
        await using var lab = new LabFactory(new WebLab.Training.Experiments.MethodCatalog([.. WebLab.Training.Experiments.MethodCatalog.Default.All, new WebLab.Web.Features.Diagnostics.DiagnosticSleepMethod()]));
        var settings = new Dictionary<string, string>
        {
            ["WebLab:Database"] = "Postgres", ["WebLab:PostgresConnectionString"] = connection, ["WebLab:EnableDiagnosticMethods"] = "true",
            ["WebLab:QueuePollIntervalMs"] = "100",
        };
        foreach (var (k, v) in settings) lab.Settings[k] = v;
        lab.Settings["WebLab:Workers:Local"] = "false";
        using var http = lab.CreateClient();

        var ids = new List<long>();
        for (int i = 0; i < 3; i++)
            ids.Add(await http.LaunchAsync(new JsonObject { ["steps"] = 3, ["stepDelayMs"] = 10 }, method: "diagnostic-sleep", name: $"remote {i}"));
        foreach (var id in ids) Assert.Equal("Queued", (await http.ExperimentAsync(id)).Status());   // no worker serves cpu yet

        using var worker = new WorkerHost(lab.DataDirectory, new Dictionary<string, string>(settings) { ["WebLab:Workers:Cpu"] = "2" });
        {
            foreach (var id in ids)
            {
                try { await http.WaitForStatusAsync(id, "Succeeded", 120); }
                catch (Exception e) { throw new Xunit.Sdk.XunitException($"{e.Message}\nworker output:\n{worker.Output}"); }
            }
            foreach (var id in ids) Assert.Equal(3, (await http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss")).Count);

            // each run's Hangfire job was processed once, by the worker process's server
            await using var pg = new NpgsqlConnection(connection);
            await pg.OpenAsync();
            await using var cmd = new NpgsqlCommand("SELECT s.data FROM hangfire.state s WHERE s.name = 'Processing'", pg);
            var servers = new List<string>();
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync()) servers.Add((string)JsonNode.Parse(reader.GetString(0))!["ServerId"]!);
            Assert.Equal(3, servers.Count);
            Assert.All(servers, s => Assert.StartsWith($"worker:{Environment.MachineName}:{worker.Id}:cpu", s));
        }
    }
}

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
        using var http = lab.CreateClient();

        const int steps = 120;
        var overrides = new JsonObject { ["steps"] = steps, ["evalEvery"] = steps, ["evalPerSplit"] = 2, ["checkpointEvery"] = 20, ["threads"] = 1, ["batchSize"] = 16 };
        // the same run twice, queued in this order on a one-run worker: left alone, then killed mid-run
        var reference = await http.LaunchAsync(overrides, method: "sft", name: "left alone");
        var id = await http.LaunchAsync(overrides, method: "sft", name: "killed worker");
        using (var first = new QueueWorkerTests.WorkerHost(lab.DataDirectory, settings))
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

        using var second = new QueueWorkerTests.WorkerHost(lab.DataDirectory, settings);
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
    }
}
