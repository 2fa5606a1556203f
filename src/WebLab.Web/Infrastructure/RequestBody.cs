// Reads a JSON request body for the API: a body that is missing, not JSON, of the wrong shape, larger than the limit,
// or that holds a key the request does not have is a 400/413 problem naming the field, never the serializer's
// message and never a 500. Request records are read with unknown keys disallowed (a typo is named, not ignored).
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace WebLab.Web.Infrastructure;

public static class RequestBody
{
    /// <summary>The largest JSON body the API takes (an imported prompt set travels in one).</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    public static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest http, IOptions<JsonOptions> json) where T : class
    {
        if (http.ContentLength > MaxBytes) return (null, TooLarge());
        if (http.ContentType is { } type && !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
            && !type.Contains("+json", StringComparison.OrdinalIgnoreCase))
            return (null, Problem("body", $"send JSON (Content-Type: application/json), not {type}"));
        var options = new JsonSerializerOptions(json.Value.SerializerOptions) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
        try
        {
            using var limited = new LimitedStream(http.Body, MaxBytes);
            var body = await JsonSerializer.DeserializeAsync<T>(limited, options);
            return body is null ? (null, Problem("body", "a JSON object is required")) : (body, null);
        }
        catch (BodyTooLargeException) { return (null, TooLarge()); }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            // "The JSON property 'x' could not be mapped to any .NET member contained in type …"
            if (e.Message.Contains("could not be mapped", StringComparison.Ordinal) && Quoted(e.Message) is { } key)
                return (null, Problem(key, $"'{key}' is not a field of this request"));
            return (null, Problem(field, e.Path is null or "$" ? "the body is not a JSON object of this request's shape" : $"malformed JSON or a wrong type at '{field}'"));
        }
    }

    static string? Quoted(string message)
    {
        int a = message.IndexOf('\''), b = a < 0 ? -1 : message.IndexOf('\'', a + 1);
        return b > a ? message[(a + 1)..b] : null;
    }

    static IResult Problem(string field, string message) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { [field] = [message] });

    static IResult TooLarge() => TypedResults.Problem($"the body is larger than {MaxBytes / (1024 * 1024)} MB", statusCode: 413, title: "Payload Too Large");

    sealed class BodyTooLargeException : Exception;

    /// <summary>Fails a read past <c>max</c> bytes (a body sent without Content-Length, or one that lies about it).</summary>
    sealed class LimitedStream(Stream inner, long max) : Stream
    {
        long read;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => read; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => Count(await inner.ReadAsync(buffer, ct));
        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => Count(await inner.ReadAsync(buffer.AsMemory(offset, count), ct));
        int Count(int n)
        {
            if ((read += n) > max) throw new BodyTooLargeException();
            return n;
        }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
