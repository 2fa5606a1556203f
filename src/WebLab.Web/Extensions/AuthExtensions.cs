// Accounts and who may do what: ASP.NET Core Identity in the lab's database, the "WebLab" policy scheme (API token,
// cookie, or the anonymous local user of Mode None), the role policies, and a fallback policy that makes every endpoint
// not marked otherwise require a signed-in user with a role.
using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using WebLab.Web.Data;
using WebLab.Web.Features.Accounts;

namespace WebLab.Web.Extensions;

public static class AuthExtensions
{
    /// <summary>Users, roles and their stores (no HTTP): the web host, the headless runner and `weblab admin create` use this.</summary>
    public static IHostApplicationBuilder AddWebLabAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddIdentityCore<LabUser>(o =>
            {
                o.Password.RequiredLength = AccountService.MinPasswordLength;   // length over composition rules (NIST SP 800-63B)
                o.Password.RequireDigit = o.Password.RequireLowercase = o.Password.RequireUppercase = o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(5);
                o.Lockout.AllowedForNewUsers = true;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@+";
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<WebLabDb>();
        builder.Services.AddScoped<AccountService>();
        // what AccountService writes its audit rows with (also in hosts that only manage accounts: `weblab admin`)
        builder.Services.AddHttpContextAccessor();
        builder.Services.TryAddScoped<CurrentActor>();
        builder.Services.TryAddScoped<Features.Audit.AuditTrail>();
        return builder;
    }

    public static WebApplicationBuilder AddWebLabAuth(this WebApplicationBuilder builder)
    {
        var auth = (builder.Configuration.GetSection(WebLabOptions.Section).Get<WebLabOptions>() ?? new()).Auth;
        if (auth.Mode == AuthMode.None && NonLoopback(builder.Configuration["urls"]) is { Count: > 0 } open)
            throw new InvalidOperationException(
                $"WebLab:Auth:Mode None (no sign-in) is allowed only when the lab listens on loopback alone; it is set to listen on {string.Join(", ", open)}. " +
                "Listen on http://localhost:PORT or http://127.0.0.1:PORT, or use Mode Required.");

        builder.AddWebLabAccounts();
        new IdentityBuilder(typeof(LabUser), typeof(IdentityRole), builder.Services).AddSignInManager();
        builder.Services.AddSingleton<FirstAdminSetup>();
        builder.Services.AddHostedService<FirstAdminService>();

        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = AuthSchemes.Lab;
                o.DefaultChallengeScheme = AuthSchemes.Lab;
                o.DefaultForbidScheme = AuthSchemes.Lab;
            })
            .AddPolicyScheme(AuthSchemes.Lab, null, o => o.ForwardDefaultSelector = http =>
                AuthSchemes.IsWorkerToken(http.Request) ? AuthSchemes.WorkerToken      // a machine's credential, in every mode
                : auth.Mode == AuthMode.None ? AuthSchemes.Local
                : http.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? AuthSchemes.ApiToken
                : IdentityConstants.ApplicationScheme)
            .AddScheme<AuthenticationSchemeOptions, ApiTokenHandler>(AuthSchemes.ApiToken, null)
            .AddScheme<AuthenticationSchemeOptions, LocalUserHandler>(AuthSchemes.Local, null)
            .AddScheme<AuthenticationSchemeOptions, WorkerTokenHandler>(AuthSchemes.WorkerToken, null)
            .AddIdentityCookies();
        builder.Services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "weblab.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;   // Secure over HTTPS; a loopback lab may serve plain HTTP
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.Events.OnRedirectToLogin = c =>
            {
                if (AuthSchemes.IsMachinePath(c.Request.Path) && !ErrorPages.IsBrowser(c.Request))   // a person opening /hangfire signs in
                    return AuthSchemes.WriteProblemAsync(c.Response, StatusCodes.Status401Unauthorized, "Unauthorized",
                        "sign in, or send Authorization: Bearer with an API token (profile page)");
                c.Response.Redirect(c.RedirectUri);
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToAccessDenied = c => AuthPages.ForbiddenAsync(c.HttpContext);
        });
        // a changed role or a disabled account reaches the browsers already signed in within a minute
        builder.Services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));

        // one policy per entry of LabPolicies.Roles; an endpoint that names none gets Read's
        var policies = builder.Services.AddAuthorizationBuilder();
        foreach (var (name, roles) in LabPolicies.Roles) policies.AddPolicy(name, p => p.RequireRole(roles));
        policies.AddPolicy(LabPolicies.Worker, p => p.RequireRole(AuthSchemes.WorkerRole));
        policies.SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireRole(LabPolicies.Roles[LabPolicies.Read]).Build());
        builder.Services.AddCascadingAuthenticationState();
        builder.Services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, CircuitUser.Handler>();
        builder.Services.AddExceptionHandler<ForbiddenActionHandler>();
        return builder;
    }

    /// <summary>The listen addresses in <paramref name="urls"/> ("a;b") that are not loopback ("*", "+", 0.0.0.0, a host name …).</summary>
    public static List<string> NonLoopback(string? urls) =>
        (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
        .Where(u => !IsLoopbackUrl(u)).ToList();

    static bool IsLoopbackUrl(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        var host = rest.StartsWith('[') ? rest[..(rest.IndexOf(']') + 1)] : rest.Split(':', '/')[0];
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip);
    }
}

/// <summary>
/// At start in Mode Required with no account: creates WebLab:Auth:FirstAdmin when it is configured, else makes a one-time
/// set-up secret and logs the link (/setup?token=…) that creates the first admin.
/// </summary>
public sealed class FirstAdminService(IServiceProvider services, FirstAdminSetup setup, Microsoft.Extensions.Options.IOptions<WebLabOptions> options,
    IHostApplicationLifetime lifetime, Microsoft.AspNetCore.Hosting.Server.IServer server, ILogger<FirstAdminService> log) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        var auth = options.Value.Auth;
        if (auth.Mode == AuthMode.None) return;
        await using var scope = services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<AccountService>();
        if (await accounts.AnyUserAsync(ct)) return;
        if (auth.FirstAdmin.UserName.Length > 0)
        {
            if (await accounts.CreateAsync(new(auth.FirstAdmin.UserName, auth.FirstAdmin.Password, LabRoles.Admin)) is { } errors)
                throw new InvalidOperationException("WebLab:Auth:FirstAdmin: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")));
            log.LogWarning("Created the first admin '{User}' from WebLab:Auth:FirstAdmin", auth.FirstAdmin.UserName);
            return;
        }
        setup.Token = System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        lifetime.ApplicationStarted.Register(() =>
        {
            var at = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "";
            log.LogWarning("No account exists yet. Create the first admin at {Url}/setup?token={Token} (or run `weblab admin create`)", at.TrimEnd('/'), setup.Token);
        });
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;
}

/// <summary>A <see cref="ForbiddenActionException"/> from a service (a role or an owner check) is a 403 naming who and why.</summary>
public sealed class ForbiddenActionHandler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is not ForbiddenActionException forbidden) return false;
        await AuthSchemes.WriteProblemAsync(http.Response, StatusCodes.Status403Forbidden, "Forbidden", forbidden.Message, ct);
        return true;
    }
}
