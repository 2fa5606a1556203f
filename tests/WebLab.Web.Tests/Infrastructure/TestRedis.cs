// A real Redis for the tests of live updates across hosts: $WEBLAB_TEST_REDIS when set (a server .ci/run or a developer
// started, "host:port"), else a private redis-server this test process starts itself on loopback (Debian's redis-server,
// installed with apt-get when missing and the tests run as root; no persistence, a temporary folder) and stops when the
// process exits. Each caller gets a channel prefix of its own, so tests never hear one another's runs.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;

namespace WebLab.Web.Tests.Infrastructure;

public static class TestRedis
{
    public const string EnvVar = "WEBLAB_TEST_REDIS";
    const string ServerBin = "/usr/bin/redis-server";
    static readonly Lazy<(string? Server, string? Problem)> Server = new(Start);

    /// <summary>WebLab:Redis for one test: the server, with a channel prefix no other test uses.</summary>
    public static string NewConfiguration()
    {
        var (server, problem) = Server.Value;
        Assert.True(server is not null, $"no Redis for this test ({problem}); set {EnvVar} to host:port, or run .ci/run");
        return $"{server},channelPrefix=t{Guid.NewGuid():N}:";
    }

    static (string?, string?) Start()
    {
        if (Environment.GetEnvironmentVariable(EnvVar) is { Length: > 0 } given) return (given, null);
        if (!File.Exists(ServerBin))
        {
            if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get")) return (null, $"{ServerBin} is missing: apt-get install -y redis-server");
            foreach (var step in new[] { new[] { "update", "-qq" }, ["install", "-y", "-qq", "redis-server"] })
                if (TestPostgres.Exec("/usr/bin/apt-get", step) is { Code: not 0 } failed) return (null, $"apt-get {string.Join(" ", step)} exited {failed.Code}: {failed.Err}");
        }
        // servers of earlier test processes that have ended (killed before their exit handler ran): stopped, folders removed
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), "weblab-redis-*"))
        {
            if (int.TryParse(ReadOr(Path.Combine(stale, "owner")), out var owner) && TestPostgres.Alive(owner)) continue;
            if (int.TryParse(ReadOr(Path.Combine(stale, "pid")), out var pid) && TestPostgres.Alive(pid))
                try { using var p = Process.GetProcessById(pid); if (p.ProcessName.StartsWith("redis", StringComparison.Ordinal)) p.Kill(); } catch (Exception e) when (e is ArgumentException or InvalidOperationException) { }
            try { Directory.Delete(stale, recursive: true); } catch (IOException) { }
        }
        var dir = Directory.CreateTempSubdirectory("weblab-redis-").FullName;
        File.WriteAllText(Path.Combine(dir, "owner"), Environment.ProcessId.ToString());
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0)) { probe.Start(); port = ((IPEndPoint)probe.LocalEndpoint).Port; }
        var start = new ProcessStartInfo(ServerBin) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "--port", port.ToString(), "--bind", "127.0.0.1", "--dir", dir, "--save", "", "--appendonly", "no" })
            start.ArgumentList.Add(a);
        var server = Process.Start(start)!;
        File.WriteAllText(Path.Combine(dir, "pid"), server.Id.ToString());
        server.StandardOutput.ReadToEndAsync();   // drained, never read
        server.StandardError.ReadToEndAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { if (!server.HasExited) server.Kill(); } catch (InvalidOperationException) { }
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        };
        // ready when it accepts a connection (bounded)
        for (var deadline = DateTime.UtcNow.AddSeconds(10); DateTime.UtcNow < deadline; Thread.Sleep(50))
        {
            if (server.HasExited) return (null, $"redis-server exited {server.ExitCode}");
            try { using var c = new TcpClient(); c.Connect(IPAddress.Loopback, port); return ($"127.0.0.1:{port}", null); }
            catch (SocketException) { }
        }
        return (null, "redis-server did not accept connections within 10 s");
    }

    static string ReadOr(string path) { try { return File.ReadAllText(path); } catch (IOException) { return ""; } }
}
