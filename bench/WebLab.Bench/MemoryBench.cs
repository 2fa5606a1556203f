// Resident memory of the real lab process (not a timed test): idle at start, peak during and idle after one sft, one lsp
// and one grpo tiny-cpu run, then idle after each of ten runs in a row (lsp and grpo at 60 steps; from the fourth on, 30
// steps with 10 evaluation items per split). Prints a Markdown table.
//   dotnet run -c Release --project bench/WebLab.Bench -- memory [Worker|InProcess] [RUNS, default 10]
// The lab is the Release build of src/WebLab.Web, started as its own process on a loopback port with a fresh data folder;
// runs go through its REST API; RSS is read from /proc/PID/status (VmRSS) every 200 ms, for the lab and for its worker
// processes (WebLab:Isolation=Worker, the default: one child process per run) apart. `-- memory InProcess` measures the
// lab running its runs on its own threads instead.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

static class MemoryBench
{
    // One sft (tiny-cpu: 800 steps), then lsp and grpo in turn (tiny-cpu with 60 steps each): ten runs in a row.
    static string MethodOf(int run) => run == 0 ? "sft" : run % 2 == 1 ? "lsp" : "grpo";
    static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);        // idle figure: RSS this long after a run ended

    public static async Task<int> RunAsync(string isolation, int runs = 10)
    {
        var root = RepoRoot();
        var build = Process.Start(new ProcessStartInfo("dotnet", ["build", Path.Combine(root, "src", "WebLab.Web"), "-c", "Release", "-v", "q", "--nologo"]))!;
        await build.WaitForExitAsync();
        if (build.ExitCode != 0) { Console.Error.WriteLine("memory: the lab's Release build failed"); return 1; }

        var data = Directory.CreateTempSubdirectory("weblab-memory-").FullName;
        var port = 5200 + Random.Shared.Next(700);
        var dll = Path.Combine(root, "src", "WebLab.Web", "bin", "Release", "net10.0", "WebLab.Web.dll");
        var lab = Process.Start(new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}", $"--WebLab:DataDirectory={data}",
            $"--WebLab:Isolation={isolation}", "--WebLab:Auth:Mode=None", "--Logging:LogLevel:Default=Warning"]) { WorkingDirectory = root, RedirectStandardOutput = true })!;
        lab.OutputDataReceived += (_, _) => { };
        lab.BeginOutputReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        var rows = new List<(string What, double Lab, double Worker)>();
        try
        {
            await WaitReadyAsync(http);
            await Task.Delay(Settle);
            rows.Add(("idle at start", Rss(lab.Id), 0));
            for (var i = 0; i < runs; i++)
            {
                var method = MethodOf(i);
                var (peakLab, peakWorker) = await RunAndWatchAsync(http, lab.Id, method, light: i >= 3);
                await Task.Delay(Settle);
                var idle = Rss(lab.Id);
                if (i < 3) rows.Add(($"during run {i + 1} ({method}), peak", peakLab, peakWorker));
                rows.Add(($"idle after run {i + 1} ({method})", idle, Workers(lab.Id).Sum(Rss)));
                Console.Error.WriteLine($"run {i + 1} {method}: peak lab {peakLab:F0} MB, worker {peakWorker:F0} MB; idle after {idle:F0} MB");
            }
        }
        finally
        {
            lab.Kill(entireProcessTree: true);
            await lab.WaitForExitAsync();
            try { Directory.Delete(data, recursive: true); } catch (IOException) { }
        }
        Console.WriteLine($"Isolation={isolation}\n\n| moment | lab process, resident MB | worker process, resident MB |\n|---|---:|---:|");
        foreach (var (what, labMb, workerMb) in rows) Console.WriteLine($"| {what} | {labMb:F0} | {workerMb:F0} |");
        var first = rows.First(r => r.What.StartsWith("idle after run 1 ")).Lab;
        var last = rows.Last().Lab;
        Console.WriteLine($"\nafter {runs} runs: {last - first:+0;-0} MB against the idle lab after the first run (goal: within 100 MB)");
        return 0;
    }

    // Launches method's tiny-cpu preset, samples RSS until the run ends; returns the peaks (MB) of the lab and its workers.
    static async Task<(double Lab, double Worker)> RunAndWatchAsync(HttpClient http, int pid, string method, bool light)
    {
        // lsp and grpo at 60 steps (their tiny-cpu presets run 300 on the frontier testbed: ten such runs take half an hour);
        // after the third, 30 steps and 10 evaluation items per split, so 25 runs take about an hour on 2 cores
        var overrides = method == "sft" ? null : light
            ? new JsonObject { ["steps"] = 30, ["evalPerSplit"] = 10 }
            : new JsonObject { ["steps"] = 60 };
        var created = await http.PostAsJsonAsync("/api/experiments", new { method, preset = "tiny-cpu", overrides });
        created.EnsureSuccessStatusCode();
        var id = (long)(await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var (peak, peakWorker) = (0.0, 0.0);
        var deadline = DateTime.UtcNow.AddMinutes(30);
        while (DateTime.UtcNow < deadline)
        {
            peak = Math.Max(peak, Rss(pid));
            peakWorker = Math.Max(peakWorker, Workers(pid).Sum(Rss));
            var e = (await http.GetFromJsonAsync<JsonObject>($"/api/experiments/{id}"))!;
            var status = (string)e["status"]!;
            if (status is "Succeeded") return (peak, peakWorker);
            if (status is "Failed" or "Cancelled") throw new InvalidOperationException($"{method} run {id} ended {status}: {e["error"]}");
            await Task.Delay(200);
        }
        throw new TimeoutException($"{method} run {id} did not end in 30 minutes");
    }

    static async Task WaitReadyAsync(HttpClient http)
    {
        for (var deadline = DateTime.UtcNow.AddMinutes(2); DateTime.UtcNow < deadline; await Task.Delay(250))
            try { if ((await http.GetAsync("/api/methods")).IsSuccessStatusCode) return; } catch (HttpRequestException) { }
        throw new TimeoutException("the lab did not answer /api/methods with 200 within 2 minutes");
    }

    static double Rss(int pid)
    {
        try { return double.Parse(Status(pid, "VmRSS:") ?? "0") / 1024; }
        catch (IOException) { return 0; }                                   // it just exited
    }

    // The lab's child processes (its run workers).
    static IEnumerable<int> Workers(int labPid) =>
        Directory.EnumerateDirectories("/proc").Select(Path.GetFileName).Where(n => n!.All(char.IsDigit)).Select(n => int.Parse(n!))
            .Where(p => { try { return Status(p, "PPid:") == labPid.ToString(); } catch (IOException) { return false; } }).ToList();

    static string? Status(int pid, string key) => File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith(key))
        .Select(l => l.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1]).FirstOrDefault();

    static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "WebLab.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("WebLab.sln not found above " + AppContext.BaseDirectory);
    }
}
