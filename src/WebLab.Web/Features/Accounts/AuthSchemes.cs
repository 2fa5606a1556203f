// The lab's authentication: one policy scheme ("WebLab") that forwards each request to
//   ApiToken  — `Authorization: Bearer wl_…` (scripts, the CLI, CI)
//   WorkerToken — `Authorization: Bearer wlw_…` (a worker host's hello; the Worker role alone, in every mode)
//   Identity  — the sign-in cookie (browsers)
//   Local     — WebLab:Auth:Mode None: everyone on loopback is the one anonymous Admin (single-user use)
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;

namespace WebLab.Web.Features.Accounts;

public static class AuthSchemes
{
    public const string Lab = "WebLab", ApiToken = "ApiToken", Local = "Local", WorkerToken = "WorkerToken";

    /// <summary>The role a worker token's principal holds: none of the four, so it reads nothing; it may only say hello.</summary>
    public const string WorkerRole = "Worker";
    public const string WorkerTokenClaim = "weblab:worker-token";

    /// <summary>`Authorization: Bearer wlw_…`: a worker host, whatever the sign-in mode.</summary>
    public static bool IsWorkerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer " + Features.Workers.WorkerTokens.SecretPrefix, StringComparison.Ordinal);

    /// <summary>The claim that marks the single anonymous user of Mode None.</summary>
    public const string LocalClaim = "weblab:local";

    /// <summary>True for Mode None's single anonymous user (who has no account, types a reviewer name, makes no tokens).</summary>
    public static bool IsLocalUser(ClaimsPrincipal user) => user.HasClaim(c => c.Type == LocalClaim);

    /// <summary>A refusal the lab writes itself (every 401/403/429): problem details for the API, a page for a browser.</summary>
    public static Task WriteProblemAsync(HttpResponse response, int status, string title, string detail, CancellationToken ct = default) =>
        Extensions.ErrorPages.WriteAsync(response.HttpContext, status, title, detail, ct);

    /// <summary>The name audit rows and runs carry for the anonymous user of Mode None.</summary>
    public const string AnonymousName = "anonymous";

    /// <summary>Paths that answer 401/403 instead of redirecting to the sign-in page (machines, not people, call them).</summary>
    public static bool IsMachinePath(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/openapi") || path.StartsWithSegments("/hubs") ||
        path.StartsWithSegments("/_blazor") || path.StartsWithSegments("/hangfire");

    public static ClaimsPrincipal Principal(string id, string userName, IEnumerable<string> roles, string scheme, params Claim[] extra) =>
        new(new ClaimsIdentity(
            [new Claim(ClaimTypes.NameIdentifier, id), new Claim(ClaimTypes.Name, userName), .. roles.Select(r => new Claim(ClaimTypes.Role, r)), .. extra],
            scheme, ClaimTypes.Name, ClaimTypes.Role));

    /// <summary>True for a client on this machine (or an in-memory test server, which has no address).</summary>
    public static bool IsLoopback(HttpContext http) =>
        http.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote);
}

/// <summary>`Authorization: Bearer wl_…`: the token's user with the roles they hold now; revoked, expired or locked out → 401.</summary>
public sealed class ApiTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        var db = Context.RequestServices.GetRequiredService<WebLabDb>();
        if (await ApiTokens.FindValidAsync(db, secret, Context.RequestAborted) is not { } token)
            return AuthenticateResult.Fail("the token is unknown, revoked or expired");
        var users = Context.RequestServices.GetRequiredService<UserManager<LabUser>>();
        if (await users.FindByIdAsync(token.UserId) is not { } user || await users.IsLockedOutAsync(user))
            return AuthenticateResult.Fail("the token's user is disabled");
        var principal = AuthSchemes.Principal(user.Id, user.UserName!, await users.GetRolesAsync(user), Scheme.Name,
            new Claim("weblab:token", token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await AuthSchemes.WriteProblemAsync(Response, StatusCodes.Status401Unauthorized, "Unauthorized",
            failure ?? "sign in, or send Authorization: Bearer with an API token");
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties) => await AuthPages.ForbiddenAsync(Context);
}

/// <summary>`Authorization: Bearer wlw_…`: a worker host with the Worker role alone (POST /api/workers/hello); unknown or
/// revoked → 401.</summary>
public sealed class WorkerTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthSchemes.IsWorkerToken(Request)) return AuthenticateResult.NoResult();
        var secret = Request.Headers.Authorization.ToString()["Bearer ".Length..].Trim();
        var db = Context.RequestServices.GetRequiredService<WebLabDb>();
        if (await Features.Workers.WorkerTokens.FindValidAsync(db, secret, Context.RequestAborted) is not { } token)
            return AuthenticateResult.Fail("the worker token is unknown or revoked (an Admin makes one on the Workers page)");
        var principal = AuthSchemes.Principal($"worker-token:{token.Id}", token.Name, [AuthSchemes.WorkerRole], Scheme.Name,
            new Claim(AuthSchemes.WorkerTokenClaim, token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
        await AuthSchemes.WriteProblemAsync(Response, StatusCodes.Status401Unauthorized, "Not a worker of this lab", failure ?? "send Authorization: Bearer with a worker token");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        AuthSchemes.WriteProblemAsync(Response, StatusCodes.Status403Forbidden, "Forbidden", "a worker token only says hello (POST /api/workers/hello)");
}

/// <summary>Mode None: a request from this machine is the anonymous Admin; any other gets no identity (and so is refused).</summary>
public sealed class LocalUserHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    const string LoopbackOnly = "WebLab:Auth:Mode is None, which serves only this machine (loopback)";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() => Task.FromResult(AuthSchemes.IsLoopback(Context)
        ? AuthenticateResult.Success(new AuthenticationTicket(
            AuthSchemes.Principal(AuthSchemes.AnonymousName, AuthSchemes.AnonymousName, [LabRoles.Admin], Scheme.Name, new Claim(AuthSchemes.LocalClaim, "true")), Scheme.Name))
        : AuthenticateResult.Fail(LoopbackOnly));

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        AuthSchemes.WriteProblemAsync(Response, StatusCodes.Status401Unauthorized, "Unauthorized", LoopbackOnly);
}
