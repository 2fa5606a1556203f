// A worker on its own (issue 31, a first step): the web host runs no worker (WebLab:Workers:Local=false) and queues runs
// on PostgreSQL; a separate `WebLab.Web queue-worker --queues cpu` process joins the queue, and the runs execute there,
// each once. Before any worker serves the queue, the runs wait.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Database;

public sealed class QueueWorkerTests
{
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

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(Program).Assembly.Location, "queue-worker", "--queues", "cpu", $"--WebLab:DataDirectory={lab.DataDirectory}", "--WebLab:Workers:Cpu=2",
                "--WebLab:Isolation=InProcess" }   // the worker host runs each run on its own threads (child processes are the lab's own tests')
            .Concat(settings.Select(kv => $"--{kv.Key}={kv.Value}")))
            start.ArgumentList.Add(a);
        using var worker = Process.Start(start)!;
        var output = new System.Text.StringBuilder();
        worker.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        worker.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        worker.BeginOutputReadLine();
        worker.BeginErrorReadLine();
        try
        {
            foreach (var id in ids)
            {
                try { await http.WaitForStatusAsync(id, "Succeeded", 120); }
                catch (Exception e) { lock (output) throw new Xunit.Sdk.XunitException($"{e.Message}\nworker output:\n{output}"); }
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
        finally
        {
            worker.Kill(entireProcessTree: true);
            await worker.WaitForExitAsync();
        }
    }
}
