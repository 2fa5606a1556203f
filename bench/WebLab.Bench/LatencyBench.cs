// `-- latency --url URL [--runs N] [--label TEXT]`: how long a lab takes to start a queued run, and how long a metric point
// takes from the process that logs it to a watcher of the web host. Against a running lab (bench/cluster.sh starts one
// single-host on SQLite, and one across processes on PostgreSQL + Redis, and runs this against each), N diagnostic-sleep
// runs one after another (20 steps of 50 ms; WebLab:EnableDiagnosticMethods, Auth Mode None on loopback):
//   queue-to-start = the run's startedAt − createdAt (both written by the lab's processes, one clock: one machine);
//   update delay   = when a SignalR client of the web host receives a point − the point's time (set when the run logged it).
// Prints one Markdown row per measure: median and p95.
using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.SignalR.Client;

namespace WebLab.Bench;

static class LatencyBench
{
    sealed record Point(long Id, long Step, string Name, double Value, DateTimeOffset Time);

    public static async Task<int> RunAsync(string url, int runs, string label)
    {
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(http.BaseAddress, "/hubs/experiments")).Build();
        var delays = new ConcurrentBag<double>();
        var done = new ConcurrentDictionary<long, TaskCompletionSource>();
        hub.On<Point[]>("metrics", batch =>
        {
            var now = DateTimeOffset.UtcNow;
            foreach (var p in batch) delays.Add((now - p.Time).TotalMilliseconds);
        });
        await hub.StartAsync();
        var starts = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var response = await http.PostAsJsonAsync("/api/experiments", new
            {
                name = $"latency {label} {i}", method = "diagnostic-sleep", preset = "tiny-cpu",
                overrides = new JsonObject { ["steps"] = 20, ["stepDelayMs"] = 50 },
            });
            if (!response.IsSuccessStatusCode) { Console.Error.WriteLine($"launch refused: {await response.Content.ReadAsStringAsync()}"); return 1; }
            var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
            await hub.InvokeAsync("Watch", id);
            JsonObject run;
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while ((string?)(run = (await http.GetFromJsonAsync<JsonObject>($"/api/experiments/{id}"))!)["status"] is "Queued" or "Running")
            {
                if (DateTime.UtcNow > deadline) { Console.Error.WriteLine($"run {id} did not finish within 120 s"); return 1; }
                await Task.Delay(100);
            }
            if ((string?)run["status"] != "Succeeded") { Console.Error.WriteLine($"run {id}: {run.ToJsonString()}"); return 1; }
            starts.Add(((DateTimeOffset)run["startedAt"]! - (DateTimeOffset)run["createdAt"]!).TotalMilliseconds);
            await hub.InvokeAsync("Unwatch", id);
        }
        static string Stats(IEnumerable<double> xs)
        {
            var s = xs.Order().ToArray();
            double At(double q) => s[Math.Min(s.Length - 1, (int)Math.Ceiling(q * s.Length) - 1)];
            return string.Create(CultureInfo.InvariantCulture, $"{At(0.5):F0} | {At(0.95):F0} | {s.Length}");
        }
        Console.WriteLine($"| {label} | queue-to-start (ms) | {Stats(starts)} |");
        Console.WriteLine($"| {label} | update delay, run to hub client (ms) | {Stats(delays)} |");
        return 0;
    }
}
