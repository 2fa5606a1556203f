// A real OpenAI-compatible chat-completions server on loopback (HttpListener) for judge tests: each request's messages
// go to a handler that returns the reply text, or null for an HTTP 500. Counts requests and the most in flight at once.
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebLab.Training.Tests.Judges;

public sealed class LoopbackChatServer : IDisposable
{
    readonly HttpListener _listener = new();
    readonly Func<string, string?> _reply;   // user message → reply text, or null for a 500
    readonly Task _loop;
    int _inFlight, _maxInFlight, _requests;

    public string BaseUrl { get; }
    public int Requests => Volatile.Read(ref _requests);
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);
    public List<string> Authorizations { get; } = [];

    public LoopbackChatServer(Func<string, string?> reply)
    {
        _reply = reply;
        BaseUrl = $"http://127.0.0.1:{FreePort()}/v1";
        _listener.Prefixes.Add(BaseUrl + "/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public static int FreePort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => Handle(context));
        }
    }

    async Task Handle(HttpListenerContext context)
    {
        int now = Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _requests);
        for (int max; now > (max = Volatile.Read(ref _maxInFlight));) Interlocked.CompareExchange(ref _maxInFlight, now, max);
        try
        {
            lock (Authorizations) Authorizations.Add(context.Request.Headers["Authorization"] ?? "");
            using var reader = new StreamReader(context.Request.InputStream);
            var body = JsonNode.Parse(await reader.ReadToEndAsync())!;
            var user = body["messages"]!.AsArray().Last()!["content"]!.ToString();
            await Task.Yield();
            var text = _reply(user);
            var response = context.Response;
            if (text is null)
            {
                response.StatusCode = 500;
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes("""{"error":{"message":"boom","type":"server_error"}}"""));
            }
            else
            {
                var json = JsonSerializer.Serialize(new
                {
                    id = "chatcmpl-1", @object = "chat.completion", created = 0, model = body["model"]!.ToString(),
                    choices = new[] { new { index = 0, message = new { role = "assistant", content = text }, finish_reason = "stop" } },
                    usage = new { prompt_tokens = user.Length / 4, completion_tokens = 1, total_tokens = user.Length / 4 + 1 },
                });
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(Encoding.UTF8.GetBytes(json));
            }
            response.Close();
        }
        finally { Interlocked.Decrement(ref _inFlight); }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        // the accept loop ends once the listener stops (GetContextAsync throws): a loop still running after 5 s is a fault
        bool ended;
        try { ended = _loop.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { ended = true; }
        if (!ended) throw new TimeoutException("the loopback chat server's accept loop did not end within 5 s");
    }
}
