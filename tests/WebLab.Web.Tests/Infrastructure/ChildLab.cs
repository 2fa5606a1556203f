// The real app as a child process (dotnet src/WebLab.Web/bin/…/WebLab.Web.dll) on a loopback port, for tests that kill it.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WebLab.Web.Tests.Infrastructure;

public sealed class ChildLab : IDisposable
{
    readonly Process process;
    readonly StringBuilder output = new();

    /// <param name="settings">More WebLab settings ("WebLab:Database" → WebLab__Database), over the defaults below.</param>
    /// <param name="port">The loopback port (a restarted lab takes its predecessor's); a free one when null.</param>
    public ChildLab(string dataDirectory, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        port ??= FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var start = new ProcessStartInfo("dotnet", [WebDll(), "--urls", BaseAddress.ToString()])
        {
            WorkingDirectory = RepoRoot(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["WebLab__DataDirectory"] = dataDirectory;
        start.Environment["WebLab__EnableDiagnosticMethods"] = "true";   // the built-in diagnostic-sleep method
        start.Environment["WebLab__Device"] = "cpu";
        start.Environment["WebLab__QueuePollIntervalMs"] = "200";
        start.Environment["WebLab__Auth__Mode"] = "None";                // on 127.0.0.1 only
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) start.Environment[key.Replace(":", "__")] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri BaseAddress { get; }
    public int Port => BaseAddress.Port;
    public HttpClient Http { get; }
    public string Output { get { lock (output) return output.ToString(); } }

    /// <summary>Until the lab answers /api/methods; throws at once if it exits, and with its output if it never answers.</summary>
    public Task WaitUntilReadyAsync(int seconds = 30) =>
        Poll.UntilAsync(async () =>
        {
            if (process.HasExited) throw new InvalidOperationException("the lab exited:\n" + Output);
            try { return (await Http.GetAsync("/api/methods")).StatusCode == HttpStatusCode.OK; }
            catch (HttpRequestException) { return false; }
        }, ready => ready, _ => "the lab never answered:\n" + Output, seconds, everyMs: 200);

    /// <summary>SIGKILL, like a crash or an OOM kill: no shutdown code runs.</summary>
    public void KillHard()
    {
        process.Kill(entireProcessTree: true);
        if (!process.WaitForExit(10_000)) throw new TimeoutException("the lab did not exit within 10 s of SIGKILL:\n" + Output);
    }

    public void Dispose()
    {
        if (!process.HasExited) KillHard();
        process.Dispose();
        Http.Dispose();
    }

    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "WebLab.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("WebLab.sln not found above " + AppContext.BaseDirectory);
    }

    // Same configuration as this test build: …/tests/WebLab.Web.Tests/bin/<Configuration>/net10.0/
    static string WebDll()
    {
        var parts = AppContext.BaseDirectory.TrimEnd('/').Split('/');
        var configuration = parts[Array.LastIndexOf(parts, "bin") + 1];
        var dll = Path.Combine(RepoRoot(), "src", "WebLab.Web", "bin", configuration, "net10.0", "WebLab.Web.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("build src/WebLab.Web first", dll);
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
