// A real PostgreSQL 15 for the tests that run the lab on it: $WEBLAB_TEST_POSTGRES when set (a server .ci/run or a
// developer started), else a private cluster this test process starts itself on loopback (Debian's postgresql-15,
// installed with apt-get when missing and the tests run as root; initdb in a temporary folder, as the postgres user
// when root, since PostgreSQL refuses to run as root) and stops when the process exits. Each caller gets a database of
// its own. Nothing is mocked: a test that cannot get a server fails saying how to get one.
using System.Diagnostics;
using Npgsql;
using Xunit;

namespace WebLab.Web.Tests.Infrastructure;

public static class TestPostgres
{
    public const string EnvVar = "WEBLAB_TEST_POSTGRES";
    const string Bin = "/usr/lib/postgresql/15/bin";
    static readonly Lazy<(string? Server, string? Problem)> Server = new(Start);

    /// <summary>The connection string of a new, empty database on the server.</summary>
    public static string NewDatabase(string prefix = "weblab")
    {
        var (server, problem) = Server.Value;
        Assert.True(server is not null, $"no PostgreSQL for this test ({problem}); set {EnvVar} to a server's connection string, or run .ci/run");
        var name = $"{prefix}_{Guid.NewGuid():N}".ToLowerInvariant();             // under PostgreSQL's 63 bytes
        using (var connection = new NpgsqlConnection(server))
        {
            connection.Open();
            using var create = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            create.ExecuteNonQuery();
        }
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
    }

    static (string?, string?) Start()
    {
        if (Environment.GetEnvironmentVariable(EnvVar) is { Length: > 0 } given) return (given, null);
        if (!File.Exists(Path.Combine(Bin, "initdb")))
        {
            if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get")) return (null, $"{Bin}/initdb is missing: apt-get install -y postgresql-15");
            foreach (var step in new[] { new[] { "update", "-qq" }, ["install", "-y", "-qq", "postgresql-15"] })
                if (Exec("/usr/bin/apt-get", step) is { Code: not 0 } failed) return (null, $"apt-get {string.Join(" ", step)} exited {failed.Code}: {failed.Err}");
        }
        bool root = Environment.UserName == "root";
        // clusters of earlier test processes that have ended: the test host may be ended before its exit handler stops the
        // server, so the next run stops it (its owner's pid is in the folder) and removes the folder
        foreach (var stale in Directory.EnumerateDirectories(Path.GetTempPath(), "weblab-pg-*"))
        {
            if (int.TryParse(File.Exists(Path.Combine(stale, "owner")) ? File.ReadAllText(Path.Combine(stale, "owner")) : "", out var owner) && Alive(owner)) continue;
            string[] stop = [Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(stale, "data"), "-m", "immediate", "stop"];
            if (File.Exists(Path.Combine(stale, "data", "postmaster.pid"))) { if (root) Exec("/usr/sbin/runuser", ["-u", "postgres", "--", .. stop]); else Exec(stop[0], stop[1..]); }
            Exec("/bin/rm", ["-rf", stale]);
        }
        var dir = Directory.CreateTempSubdirectory("weblab-pg-").FullName;
        File.WriteAllText(Path.Combine(dir, "owner"), Environment.ProcessId.ToString());
        if (root) Exec("/usr/bin/chown", ["postgres:", dir]);
        string[] As(params string[] command) => root ? ["-u", "postgres", "--", .. command] : command;
        string runner = root ? "/usr/sbin/runuser" : Path.Combine(Bin, "initdb");
        var init = root ? Exec(runner, As(Path.Combine(Bin, "initdb"), "-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "weblab", "--no-sync"))
            : Exec(Path.Combine(Bin, "initdb"), ["-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "weblab", "--no-sync"]);
        if (init.Code != 0) return (null, $"initdb exited {init.Code}: {init.Err}");
        int port = 15400 + Environment.ProcessId % 500;
        string[] ctl = [Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-o",
            $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300"];
        var start = root ? Exec(runner, As([.. ctl, "start"])) : Exec(ctl[0], [.. ctl[1..], "start"]);
        if (start.Code != 0) return (null, $"pg_ctl start exited {start.Code}: {start.Err} {ReadLog(dir)}");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            string[] stop = [Path.Combine(Bin, "pg_ctl"), "-D", Path.Combine(dir, "data"), "-m", "immediate", "stop"];
            if (root) Exec(runner, As(stop)); else Exec(stop[0], stop[1..]);
            Exec("/bin/rm", ["-rf", dir]);
        };
        return ($"Host=127.0.0.1;Port={port};Username=weblab;Database=postgres", null);
    }

    internal static bool Alive(int pid)
    {
        try { using var p = Process.GetProcessById(pid); return !p.HasExited; }
        catch (ArgumentException) { return false; }
    }

    static string ReadLog(string dir) { try { return File.ReadAllText(Path.Combine(dir, "log")); } catch (IOException) { return ""; } }

    internal static (int Code, string Err) Exec(string file, IEnumerable<string> args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEndAsync();
        p.WaitForExit();
        return (p.ExitCode, (err.Result + output.Result).Trim());
    }
}
