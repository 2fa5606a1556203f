// A worker host's hello to its lab (WebLab:Workers:Lab and Token): at start, where a refusal stops the host with the
// lab's reason, then every sixth of the lab's LostAfterSeconds, so that the lab keeps handing runs to its queues
// (WebLab:Workers:RequireToken) and the Workers page shows its devices. A hello that fails later is logged and tried
// again at the next beat; the lab stops dispatching to this host if none gets through for LostAfterSeconds.
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using WebLab.Web.Features.Workers;

namespace WebLab.Web.Features.Experiments.Workers;

public sealed class WorkerHelloLoop(WorkerHelloLoop.Queues served, IOptions<WebLabOptions> options, ILogger<WorkerHelloLoop> logger) : BackgroundService
{
    public sealed record Queues(IReadOnlyList<string> Names);

    /// <summary>The lab refused this worker's hello, or could not be reached, or the worker does not know its lab.</summary>
    public sealed class RefusedException(string message, Exception? inner = null) : InvalidOperationException(message, inner);

    readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    TimeSpan every = TimeSpan.FromSeconds(Math.Max(1, options.Value.Workers.LostAfterSeconds / 6.0));

    /// <summary>Says hello once; throws <see cref="RefusedException"/> with the lab's answer when it refuses or cannot be reached.</summary>
    public async Task SayHelloAsync(CancellationToken ct)
    {
        var w = options.Value.Workers;
        if (string.IsNullOrWhiteSpace(w.Lab) || string.IsNullOrWhiteSpace(w.Token))
            throw new RefusedException("a worker says hello to its lab: set WebLab:Workers:Lab (the web host's URL, or --lab URL) and WebLab:Workers:Token (a worker token from the Workers page, best through WebLab__Workers__Token)");
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(new Uri(w.Lab), "/api/workers/hello"))
        {
            Content = JsonContent.Create(new HelloRequest(QueueWorker.HostName, [.. served.Names], [.. served.Names.Select(Device)], Version())),
        };
        request.Headers.Authorization = new("Bearer", w.Token);
        HttpResponseMessage response;
        try { response = await http.SendAsync(request, ct); }
        catch (HttpRequestException e) { throw new RefusedException($"the lab at {w.Lab} could not be reached: {e.Message}", e); }
        if (!response.IsSuccessStatusCode)
            throw new RefusedException($"the lab at {w.Lab} refused this worker ({(int)response.StatusCode}): {await response.Content.ReadAsStringAsync(ct)}");
        if ((await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(ct))?["lostAfterSeconds"]?.GetValue<int>() is int lost and > 0)
            every = TimeSpan.FromSeconds(Math.Max(1, lost / 6.0));               // the lab's, which decides when this host is lost
    }

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try { await Task.Delay(every, ct); } catch (OperationCanceledException) { return; }
            try { await SayHelloAsync(ct); }
            catch (RefusedException e) { logger.LogWarning("hello to the lab failed: {Message}", e.Message); }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested) { logger.LogWarning("hello to the lab timed out"); }
        }
    }

    static WorkerDevice Device(string queue)
    {
        var device = LabDevices.DeviceOf(queue);
        string name;
        long? bytes;
        try { (name, bytes) = (Training.Runtime.DeviceMemory.Name(device) ?? "unknown", Training.Runtime.DeviceMemory.Bytes(device)); }
        catch (Exception e) when (e is not OutOfMemoryException) { (name, bytes) = ($"unknown ({e.GetType().Name})", null); }
        return new(queue, name, bytes);
    }

    static string Version() => typeof(WorkerHelloLoop).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion is { } v ? v[..Math.Min(v.Length, 100)] : "unknown";

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }
}
