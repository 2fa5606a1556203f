// The lab across processes (issue 31), all on loopback: one web host (the real app, a child process) with no worker of its
// own, three `queue-worker` processes, PostgreSQL for the records and the queue, Redis for live updates. 30 tiny runs
// queued from the API execute exactly once each, on a worker serving their queue, every metric row landing once, though
// the web host is killed and started again mid-way. A SignalR client and a Chromium page on the web host watch a run
// that executes on a worker and receive every point once, in order. The Workers page lists the three workers. A run for a
// device no worker serves (cuda:0) waits and is never taken.
using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using Npgsql;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Database;

public sealed class ClusterTests(Xunit.Abstractions.ITestOutputHelper output)
{
    readonly System.Diagnostics.Stopwatch clock = System.Diagnostics.Stopwatch.StartNew();
    void Phase(string what) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:F1} s  {what}");

    const int Runs = 30, Steps = 4, WatchedSteps = 40;
    sealed record Point(long Id, long Step, string Name, double Value, DateTimeOffset Time);
    sealed record Arrival(long Id, long Step, double At);

    [Fact]
    public async Task Thirty_runs_execute_once_each_on_three_workers_through_a_web_host_restart_watched_live_across_hosts()
    {
        var connection = TestPostgres.NewDatabase();
        var settings = new Dictionary<string, string>
        {
            ["WebLab:Database"] = "Postgres", ["WebLab:PostgresConnectionString"] = connection, ["WebLab:Redis"] = TestRedis.NewConfiguration(),
            ["WebLab:EnableDiagnosticMethods"] = "true", ["WebLab:QueuePollIntervalMs"] = "100", ["WebLab:Workers:LostAfterSeconds"] = "10",
        };
        var data = Directory.CreateTempSubdirectory("weblab-cluster-").FullName;
        var web = new ChildLab(data, new Dictionary<string, string>(settings) { ["WebLab:Workers:Local"] = "false" });
        var workers = new List<WorkerHost>();
        string Outputs() => string.Join("\n", workers.Select((w, i) => $"--- worker {i} ---\n{w.Output}")) + "\n--- web ---\n" + web.Output;
        try
        {
            await web.WaitUntilReadyAsync(60);
            var http = web.Http;
            Phase("web host ready");
            settings["WebLab:Workers:Lab"] = web.BaseAddress.ToString();
            settings["WebLab:Workers:Token"] = await WorkerHost.MakeTokenAsync(http, "cluster");
            for (int w = 0; w < 3; w++) workers.Add(new WorkerHost(data, settings));
            await using var context = await BrowserTest.NewContextAsync(await BrowserTest.SharedChromiumAsync(DebianChromium.Ensure()));
            var page = await BrowserTest.NewPageAsync(context);
            await using var hub = new HubConnectionBuilder().WithUrl(new Uri(web.BaseAddress, "/hubs/experiments")).Build();
            var hubPoints = new ConcurrentQueue<Point>();
            hub.On<Point[]>("metrics", batch => { foreach (var p in batch) hubPoints.Enqueue(p); });
            await hub.StartAsync();
            long watched, onCuda;
            var ids = new List<long>();
            try
            {
                // while the workers start: a run for a device no worker serves (it waits), and the watched run, watched from
                // the moment it is queued
                onCuda = await LaunchAsync(http, "on cuda:0", Steps, stepDelayMs: 20, device: "cuda:0");
                watched = await LaunchAsync(http, "watched", WatchedSteps, stepDelayMs: 100);
                await hub.InvokeAsync("Watch", watched);
                await page.GotoAsync($"{web.BaseAddress}experiments/{watched}");

                // the page (the records' history merged with the live tail) and the hub client (live only, nothing merged)
                // see the watched run's every point once, in order
                await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
                var chart = page.Locator("[data-testid='chart-train/loss']");
                await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", WatchedSteps.ToString());
                var arrivals = JsonSerializer.Deserialize<Arrival[]>(
                    (await page.EvaluateAsync<JsonElement>("id => weblabCharts.arrivals(id)", "chart-train_loss")).GetRawText(), JsonSerializerOptions.Web)!;
                Assert.Equal(Enumerable.Range(1, WatchedSteps).Select(s => (long)s), arrivals.Select(a => a.Step));
                await Poll.UntilAsync(() => hubPoints.Count >= WatchedSteps, $"the hub client got {hubPoints.Count} of {WatchedSteps} points", seconds: 10);
                Assert.Equal(Enumerable.Range(1, WatchedSteps).Select(s => (long)s), hubPoints.Select(p => p.Step));
                Phase("watched run checked");

                // the Workers page lists the three worker hosts, live, each by its machine and process id
                await page.GotoAsync($"{web.BaseAddress}workers");
                await Assertions.Expect(page.Locator("[data-testid=worker-row]")).ToHaveCountAsync(3);
                Assert.All(await page.Locator("[data-testid=worker-state]").AllInnerTextsAsync(), s => Assert.Equal("live", s));
                Assert.All(await page.Locator("[data-testid=worker-token]").AllInnerTextsAsync(), s => Assert.Equal("cluster", s));
                Assert.All(await page.Locator("[data-testid=worker-devices]").AllInnerTextsAsync(), s => Assert.StartsWith("cpu: ", s));
                Assert.Equal(workers.Select(w => $"worker:{Environment.MachineName}:{w.Id}").Order(),
                    (await page.Locator("[data-testid=worker-row]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.host)")).Order());
                await BrowserTest.ScreenshotAsync(page, "workers-page.png");
                Phase("workers page checked");
                await context.CloseAsync();                                  // the watchers are done: their load goes too
                await hub.StopAsync();

                // the 30, launched five at a time; after a third has finished, the web host is killed and started again on the
                // same port: the runs it had handed over go on on the workers, the rest wait in its queue for it
                for (int i = 0; i < Runs; i += 5)
                    ids.AddRange(await Task.WhenAll(Enumerable.Range(i, 5).Select(j => LaunchAsync(http, $"cluster {j}", Steps, stepDelayMs: 20))));
                Phase("30 runs launched");
                var finished = await Poll.UntilAsync(() => CountAsync(http, ids, "Succeeded"), n => n >= Runs / 3, n => $"{n} runs finished", seconds: 120, everyMs: 200);
                Assert.True(finished < Runs, "every run had finished before the web host was killed");
                Phase($"{finished} finished: killing the web host");
                var port = web.Port;
                web.Dispose();
                web = new ChildLab(data, new Dictionary<string, string>(settings) { ["WebLab:Workers:Local"] = "false" }, port);
                await web.WaitUntilReadyAsync(60);
                http = web.Http;
                Phase("web host restarted");

                await Poll.UntilAsync(() => CountAsync(http, ids, "Succeeded"), n => n == Runs, n => $"{n} of {Runs} runs finished", seconds: 180, everyMs: 300);
                Phase("all finished");
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{e.Message}\n{Outputs()}");
            }

            // every metric row once: steps 1..N each once, so no run executed twice (a second execution logs its steps again)
            foreach (var id in ids.Append(watched))
            {
                var steps = (await http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss")).Select(m => (long)m!["step"]!).Order().ToList();
                Assert.Equal(Enumerable.Range(1, id == watched ? WatchedSteps : Steps).Select(s => (long)s), steps);
            }
            // each run's job was processed once, by a worker host's server of its queue; no job for the cuda:0 run was taken
            await using var pg = new NpgsqlConnection(connection);
            await pg.OpenAsync();
            var processing = new List<(long Run, string Server)>();
            await using (var cmd = new NpgsqlCommand("SELECT j.arguments, s.data FROM hangfire.state s JOIN hangfire.job j ON j.id = s.jobid WHERE s.name = 'Processing'", pg))
            await using (var reader = await cmd.ExecuteReaderAsync())
                while (await reader.ReadAsync())
                    processing.Add((long.Parse((string)JsonNode.Parse(reader.GetString(0))![0]!), (string)JsonNode.Parse(reader.GetString(1))!["ServerId"]!));
            Assert.Equal(ids.Append(watched).Order(), processing.Select(p => p.Run).Order());
            var hosts = workers.Select(w => $"worker:{Environment.MachineName}:{w.Id}:cpu").ToList();
            Assert.All(processing, p => Assert.Contains(hosts, h => p.Server.StartsWith(h, StringComparison.OrdinalIgnoreCase)));
            Assert.True(processing.Select(p => p.Server).Distinct().Count() >= 2, "the runs were not shared between workers");
            Assert.Equal("Queued", (await http.ExperimentAsync(onCuda)).Status());
            Assert.Equal(3, (await http.ListAsync("/api/workers")).Count);
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
            web.Dispose();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
    }

    static Task<long> LaunchAsync(HttpClient http, string name, int steps, int stepDelayMs, string? device = null) =>
        http.LaunchAsync(new JsonObject { ["steps"] = steps, ["stepDelayMs"] = stepDelayMs }, method: "diagnostic-sleep", name: name, device: device);

    static async Task<int> CountAsync(HttpClient http, IEnumerable<long> ids, string status)
    {
        var having = (await http.ListAsync($"/api/experiments?status={status}")).Select(e => (long)e!["id"]!).ToHashSet();
        return ids.Count(having.Contains);
    }
}
