// A `WebLab.Web queue-worker` process (what `weblab worker` starts): serves device queues of a lab on PostgreSQL, with
// its output kept for failure messages. Killed (SIGKILL) when disposed.
using System.Diagnostics;

namespace WebLab.Web.Tests.Infrastructure;

public sealed class WorkerHost : IDisposable
{
    readonly Process process;
    readonly System.Text.StringBuilder output = new();
    public int Id => process.Id;

    /// <param name="isolation">InProcess (the default here: each run on the host's own thread, quicker to start) or Worker
    /// (each run in a child process, as a production worker host runs it).</param>
    public WorkerHost(string dataDirectory, IReadOnlyDictionary<string, string> settings, string queues = "cpu", string isolation = "InProcess")
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { typeof(Program).Assembly.Location, "queue-worker", "--queues", queues, $"--WebLab:DataDirectory={dataDirectory}",
            $"--WebLab:Isolation={isolation}" }.Concat(settings.Select(kv => $"--{kv.Key}={kv.Value}")))
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
