// Security headers on every response, and a content security policy on the lab's pages: scripts only from the lab
// itself (the one inline script, Blazor's import map, carries a per-request nonce), no plug-ins, no framing, no posting
// forms elsewhere. Styles may be inline (MudBlazor's theme and component styles are). The Hangfire dashboard keeps its
// own inline scripts and gets the headers without the policy.
using System.Security.Cryptography;

namespace WebLab.Web.Extensions;

public static class SecurityHeaders
{
    public const string NonceKey = "weblab-csp-nonce";

    /// <summary>The policy for a page whose inline scripts carry <paramref name="nonce"/>.</summary>
    public static string Policy(string nonce) =>
        $"default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "font-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseWebLabSecurityHeaders(this IApplicationBuilder app) => app.Use(async (http, next) =>
    {
        var nonce = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));   // hex: no "+" or "/" for HTML to encode
        http.Items[NonceKey] = nonce;
        http.Response.OnStarting(() =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            h.XFrameOptions = "DENY";
            h["Referrer-Policy"] = "no-referrer";
            h["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!http.Request.Path.StartsWithSegments("/hangfire")) h.ContentSecurityPolicy = Policy(nonce);
            return Task.CompletedTask;
        });
        await next(http);
    });

    /// <summary>This request's nonce, for an inline script the page must keep (the import map).</summary>
    public static string? Nonce(HttpContext? http) => http?.Items[NonceKey] as string;
}
