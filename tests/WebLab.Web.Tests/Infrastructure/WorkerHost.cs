// A `WebLab.Web queue-worker` process (what `weblab worker` starts): says hello to its lab with a worker token and serves
// device queues of the lab on PostgreSQL, with its output kept for failure messages. Killed (SIGKILL) when disposed.
using System.Diagnostics;
using System.Net.Http.Json;

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
        foreach (var a in new[] { typeof(Program).Assembly.Location, "queue-worker", "--queues", queues, "--data", dataDirectory })
            start.ArgumentList.Add(a);
        // the settings through the environment, as a deployment gives the worker token and the database's password
        foreach (var (key, value) in settings.Append(new("WebLab:Isolation", isolation))) start.Environment[key.Replace(":", "__")] = value;
        process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (output) output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output { get { lock (output) return output.ToString(); } }

    public bool HasExited => process.HasExited;

    /// <summary>After it has exited: waits until its output has been read to the end.</summary>
    public void WaitForOutput() => process.WaitForExit();

    /// <summary>A new worker token from the lab at <paramref name="http"/> (an Admin's client), its secret.</summary>
    public static async Task<string> MakeTokenAsync(HttpClient http, string name)
    {
        var response = await http.PostAsJsonAsync("/api/workers/tokens", new { name });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["secret"]!;
    }

    /// <summary>SIGKILL: no shutdown, no last heartbeat.</summary>
    public void Kill()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    public void Dispose() { Kill(); process.Dispose(); }
}
