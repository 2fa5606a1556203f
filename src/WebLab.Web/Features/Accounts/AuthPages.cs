// The pages a person sees before the lab: sign in (GET/POST /signin), sign out (POST /signout) and the first admin's
// set-up (GET/POST /setup?token=…, only while no account exists). Plain server-rendered forms with an anti-forgery
// token: no script, so they work under the content security policy and before any Blazor circuit. Every value shown is
// HTML-encoded.
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Identity;

namespace WebLab.Web.Features.Accounts;

/// <summary>The one-time set-up secret printed at start when no account exists (null once one does or none was made).</summary>
public sealed class FirstAdminSetup
{
    public string? Token { get; set; }

    public bool Matches(string? token) => Token is { } expected && token is not null &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(token));
}

public static class AuthPages
{
    public const string SignInPolicy = "signin";

    public static IEndpointRouteBuilder MapAuthPages(this IEndpointRouteBuilder app)
    {
        app.MapGet("/signin", (HttpContext http, IAntiforgery af, string? returnUrl) =>
            IsModeNone(http) ? Results.Redirect("/") : Page(http, af, "Sign in", SignInForm(returnUrl, null, ""))).AllowAnonymous();
        app.MapPost("/signin", SignIn).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(SignInPolicy);
        app.MapGet("/signout", (HttpContext http, IAntiforgery af) => Page(http, af, "Sign out",
            "<form method=\"post\" action=\"/signout\">@@AF@@<p>Sign out of the lab in this browser?</p><button type=\"submit\" data-testid=\"signout-confirm\">Sign out</button></form>")).AllowAnonymous();
        app.MapPost("/signout", SignOut).AllowAnonymous().DisableAntiforgery();
        app.MapGet("/setup", async (HttpContext http, IAntiforgery af, AccountService accounts, FirstAdminSetup setup, string? token) =>
            await accounts.AnyUserAsync() ? Page(http, af, "Set up", "<p data-testid=\"error-detail\">This lab is set up already: its first admin exists. Sign in with your account, or ask an Admin for one.</p><p><a href=\"/signin\">Sign in</a></p>", 404)
            : !setup.Matches(token) ? Page(http, af, "Set up", "<p>Open the set-up link the lab printed in its log when it started, or run <code>weblab admin create</code>.</p>", 403)
            : Page(http, af, "Create the first admin", SetupForm(token!, null, ""))).AllowAnonymous();
        app.MapPost("/setup", Setup).AllowAnonymous().DisableAntiforgery().RequireRateLimiting(SignInPolicy);
        return app;
    }

    static bool IsModeNone(HttpContext http) =>
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<WebLabOptions>>().Value.Auth.Mode == AuthMode.None;

    static async Task<IResult> SignIn(HttpContext http, IAntiforgery af, SignInManager<LabUser> signIn)
    {
        if (!await af.IsRequestValidAsync(http)) return Page(http, af, "Sign in", "<p>The form expired; <a href=\"/signin\">sign in again</a>.</p>", 400);
        var form = await http.Request.ReadFormAsync();
        string userName = form["userName"].ToString().Trim(), password = form["password"].ToString(), returnUrl = form["returnUrl"].ToString();
        var result = userName.Length == 0 || password.Length == 0 ? SignInResult.Failed
            : await signIn.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: true);
        if (result.Succeeded) return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl : "/");
        var message = result.IsLockedOut
            ? "Too many failed attempts, or the account is disabled: try again in a few minutes, or ask an Admin."
            : "Wrong user name or password.";
        return Page(http, af, "Sign in", SignInForm(returnUrl, message, userName), 401);
    }

    static async Task<IResult> SignOut(HttpContext http, IAntiforgery af, SignInManager<LabUser> signIn)
    {
        if (!await af.IsRequestValidAsync(http)) return Page(http, af, "Sign out", "<p>The form expired; reload the page and sign out again.</p>", 400);
        await signIn.SignOutAsync();
        return Results.Redirect("/signin");
    }

    static async Task<IResult> Setup(HttpContext http, IAntiforgery af, AccountService accounts, FirstAdminSetup setup, SignInManager<LabUser> signIn)
    {
        if (await accounts.AnyUserAsync()) return Results.NotFound();
        if (!await af.IsRequestValidAsync(http)) return Page(http, af, "Set up", "<p>The form expired; open the set-up link again.</p>", 400);
        var form = await http.Request.ReadFormAsync();
        var token = form["token"].ToString();
        if (!setup.Matches(token)) return Page(http, af, "Set up", "<p>This set-up link is not the one the lab printed.</p>", 403);
        string userName = form["userName"].ToString().Trim(), password = form["password"].ToString();
        if (password != form["confirm"].ToString())
            return Page(http, af, "Create the first admin", SetupForm(token, "The two passwords differ.", userName), 400);
        if (await accounts.CreateAsync(new(userName, password, LabRoles.Admin)) is { } errors)
            return Page(http, af, "Create the first admin", SetupForm(token, string.Join(" ", errors.Values.SelectMany(v => v)), userName), 400);
        setup.Token = null;
        await signIn.PasswordSignInAsync(userName, password, isPersistent: false, lockoutOnFailure: false);
        return Results.Redirect("/");
    }

    /// <summary>403 for a signed-in user whose role does not allow it: JSON for machines, a short page for people.</summary>
    public static Task ForbiddenAsync(HttpContext http) =>
        Extensions.ErrorPages.WriteAsync(http, StatusCodes.Status403Forbidden, "Not allowed",
            $"{http.User.Identity?.Name} ({LabAccess.RoleText(http.User)}) may not do this.");

    static bool IsLocal(string url) => url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);

    static string Enc(string s) => HtmlEncoder.Default.Encode(s);

    static string Error(string? message) => message is null ? "" : $"<p class=\"error\" role=\"alert\" data-testid=\"auth-error\">{Enc(message)}</p>";

    static string SignInForm(string? returnUrl, string? error, string userName) => $"""
        {Error(error)}
        <form method="post" action="/signin">
          @@AF@@
          <input type="hidden" name="returnUrl" value="{Enc(returnUrl ?? "/")}" />
          <label>User name <input name="userName" autocomplete="username" required value="{Enc(userName)}" data-testid="signin-user" /></label>
          <label>Password <input name="password" type="password" autocomplete="current-password" required data-testid="signin-password" /></label>
          <button type="submit" data-testid="signin-submit">Sign in</button>
        </form>
        <p class="hint">No account? An Admin makes one on the Users page. The first admin comes from the set-up link the lab prints at its first start, from <code>weblab admin create</code>, or from WebLab:Auth:FirstAdmin.</p>
        """;

    static string SetupForm(string token, string? error, string userName) => $"""
        <p>No account exists yet. This one will be the lab's Admin.</p>
        {Error(error)}
        <form method="post" action="/setup">
          @@AF@@
          <input type="hidden" name="token" value="{Enc(token)}" />
          <label>User name <input name="userName" autocomplete="username" required value="{Enc(userName)}" /></label>
          <label>Password (at least {AccountService.MinPasswordLength} characters) <input name="password" type="password" autocomplete="new-password" required /></label>
          <label>Password again <input name="confirm" type="password" autocomplete="new-password" required /></label>
          <button type="submit">Create and sign in</button>
        </form>
        """;

    const string AF = "@@AF@@";

    static IResult Page(HttpContext http, IAntiforgery af, string title, string body, int status = 200)
    {
        var tokens = af.GetAndStoreTokens(http);
        var hidden = $"<input type=\"hidden\" name=\"{Enc(tokens.FormFieldName)}\" value=\"{Enc(tokens.RequestToken!)}\" />";
        return Results.Content(Html(title, body.Replace(AF, hidden, StringComparison.Ordinal)), "text/html; charset=utf-8", Encoding.UTF8, status);
    }

    /// <summary>The lab's plain server-rendered page (sign-in, set-up, refusals): a title and a body of HTML.</summary>
    internal static string Html(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8" /><meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{{Enc(title)}} · WebLab</title>
        <style>
          body { font-family: Roboto, Helvetica, Arial, sans-serif; background: #f5f5f5; margin: 0; }
          main { max-width: 26rem; margin: 8vh auto; background: #fff; padding: 2rem; border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.2); }
          h1 { font-size: 1.4rem; margin-top: 0; } label { display: block; margin: .8rem 0; font-size: .9rem; }
          input { display: block; width: 100%; box-sizing: border-box; padding: .5rem; margin-top: .25rem; font-size: 1rem; }
          button { margin-top: .5rem; padding: .55rem 1.2rem; font-size: 1rem; background: #594ae2; color: #fff; border: 0; border-radius: 4px; }
          .error { color: #b00020; } .hint { color: #666; font-size: .85rem; }
        </style></head>
        <body><main><h1>WebLab · {{Enc(title)}}</h1>{{body}}</main></body></html>
        """;
}
