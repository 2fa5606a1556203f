// How the lab answers a request it refuses or cannot route: a browser gets a page in words with a way back; API clients,
// scripts and the hub keep problem-JSON. A browser is a request that accepts text/html outside the machine paths (the
// API, OpenAPI, the hub, Blazor's circuit); the Hangfire dashboard is a page, so a refusal there is a page too.
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.WebUtilities;

namespace WebLab.Web.Extensions;

public static class ErrorPages
{
    public static bool IsBrowser(HttpRequest request) =>
        !(request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/openapi") || request.Path.StartsWithSegments("/hubs")
          || request.Path.StartsWithSegments("/_blazor"))
        && request.Headers.Accept.Any(a => a?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>Writes the refusal: a page (title, the detail, a link back to the experiments) for a browser, problem
    /// details for anyone else.</summary>
    public static Task WriteAsync(HttpContext http, int status, string title, string detail, CancellationToken ct = default)
    {
        var response = http.Response;
        response.StatusCode = status;
        if (!IsBrowser(http.Request))
            return response.WriteAsJsonAsync(new Microsoft.AspNetCore.Mvc.ProblemDetails { Status = status, Title = title, Detail = detail },
                (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", ct);
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(Features.Accounts.AuthPages.Html(title,
            $"<p data-testid=\"error-detail\">{HtmlEncoder.Default.Encode(detail)}</p><p><a href=\"/\" data-testid=\"error-back\">Back to the experiments</a></p>"), ct);
    }

    /// <summary>UseStatusCodePages' handler: an empty error response (no route, a refused method) in words.</summary>
    public static Task StatusCodeAsync(StatusCodeContext context)
    {
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        var detail = status switch
        {
            404 => $"There is no page at {http.Request.Path}{http.Request.QueryString}.",
            405 => $"{http.Request.Method} is not how {http.Request.Path} is used.",
            _ => ReasonPhrases.GetReasonPhrase(status),
        };
        return WriteAsync(http, status, $"{status} · {ReasonPhrases.GetReasonPhrase(status)}", detail, http.RequestAborted);
    }
}
