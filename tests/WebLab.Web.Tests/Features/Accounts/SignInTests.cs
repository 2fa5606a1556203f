// Signing in with a password (the form, its anti-forgery token, the cookie), the first admin (from configuration, or
// from the one-time set-up link), the sign-in rate limit, and Mode None: refused unless the lab listens on loopback alone.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Extensions;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Accounts;

public sealed partial class SignInTests
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    static async Task<string> FormTokenAsync(HttpClient http, string url)
    {
        var page = await http.GetStringAsync(url);
        return WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups[1].Value);
    }

    static Task<HttpResponseMessage> PostFormAsync(HttpClient http, string url, string token, params (string, string)[] fields) =>
        http.PostAsync(url, new FormUrlEncodedContent([new("__RequestVerificationToken", token), .. fields.Select(f => new KeyValuePair<string, string>(f.Item1, f.Item2))]));

    [Fact]
    public async Task A_person_signs_in_with_the_form_and_the_cookie_opens_the_lab()
    {
        await using var lab = SignedInLab.Create();
        lab.StartServer();
        await lab.UserWithTokenAsync("ann", LabRoles.Researcher);
        var http = lab.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });   // keeps cookies

        var toPage = await http.GetAsync("/experiments/new");
        Assert.Equal(HttpStatusCode.Redirect, toPage.StatusCode);
        Assert.StartsWith("/signin", toPage.Headers.Location!.PathAndQuery.Replace("http://localhost", ""), StringComparison.Ordinal);

        // no anti-forgery token: refused without looking at the password
        var forged = await http.PostAsync("/signin", new FormUrlEncodedContent([new("userName", "ann"), new("password", SignedInLab.Password)]));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        var token = await FormTokenAsync(http, "/signin");
        var wrong = await PostFormAsync(http, "/signin", token, ("userName", "ann"), ("password", "not the password"), ("returnUrl", "/"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("Wrong user name or password", await wrong.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/me")).StatusCode);

        // a return address elsewhere is not followed
        var right = await PostFormAsync(http, "/signin", token, ("userName", "ann"), ("password", SignedInLab.Password), ("returnUrl", "//evil.example/x"));
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", right.Headers.Location!.OriginalString);
        var cookie = right.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("weblab.auth=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        Assert.Equal("ann", (string?)(await http.GetFromJsonAsync<JsonObject>("/api/me"))!["userName"]);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/admin/users")).StatusCode);   // a Researcher's cookie, an Admin's page

        var signOut = await PostFormAsync(http, "/signout", await FormTokenAsync(http, "/signout"));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_address_and_per_account()
    {
        await using var lab = SignedInLab.Create(("WebLab:Auth:SignInsPerMinute", "6"));
        lab.StartServer();
        await lab.UserWithTokenAsync("ann", LabRoles.Researcher);
        var http = lab.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = await FormTokenAsync(http, "/signin");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await PostFormAsync(http, "/signin", token, ("userName", "ann"), ("password", "wrong " + i))).StatusCode);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // five wrong passwords lock the account: the right one is refused too, saying why
        var locked = await PostFormAsync(http, "/signin", token, ("userName", "ann"), ("password", SignedInLab.Password));
        Assert.Contains("Too many failed attempts", await locked.Content.ReadAsStringAsync());
        // the seventh attempt in the minute from this address is not even tried
        var limited = await PostFormAsync(http, "/signin", token, ("userName", "ann"), ("password", SignedInLab.Password));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("WebLab:Auth:SignInsPerMinute", await limited.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_first_admin_comes_from_the_set_up_link_once_and_never_from_a_default()
    {
        await using var lab = SignedInLab.Create();
        lab.StartServer();
        var http = lab.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var secret = lab.Services.GetRequiredService<FirstAdminSetup>().Token;
        Assert.NotNull(secret);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/setup?token=guess")).StatusCode);
        var url = $"/setup?token={secret}";
        var form = await FormTokenAsync(http, url);
        var mismatch = await PostFormAsync(http, "/setup", form, ("token", secret!), ("userName", "root"), ("password", SignedInLab.Password), ("confirm", "other"));
        Assert.Contains("The two passwords differ", await mismatch.Content.ReadAsStringAsync());
        var shortPassword = await PostFormAsync(http, "/setup", form, ("token", secret!), ("userName", "root"), ("password", "short"), ("confirm", "short"));
        Assert.Contains("at least 12 characters", await shortPassword.Content.ReadAsStringAsync());
        var wrongSecret = await PostFormAsync(http, "/setup", form, ("token", "guess"), ("userName", "root"), ("password", SignedInLab.Password), ("confirm", SignedInLab.Password));
        Assert.Equal(HttpStatusCode.Forbidden, wrongSecret.StatusCode);

        var made = await PostFormAsync(http, "/setup", form, ("token", secret!), ("userName", "root"), ("password", SignedInLab.Password), ("confirm", SignedInLab.Password));
        Assert.Equal(HttpStatusCode.Redirect, made.StatusCode);
        var me = (await http.GetFromJsonAsync<JsonObject>("/api/me"))!;                 // signed in as the new Admin
        Assert.Equal("root", (string?)me["userName"]);
        Assert.Equal(["Admin"], me["roles"]!.AsArray().Select(r => (string)r!));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(url)).StatusCode);  // an account exists: the link is spent
        Assert.Null(lab.Services.GetRequiredService<FirstAdminSetup>().Token);
    }

    [Fact]
    public async Task The_first_admin_can_come_from_configuration()
    {
        await using var lab = SignedInLab.Create(("WebLab:Auth:FirstAdmin:UserName", "boss"), ("WebLab:Auth:FirstAdmin:Password", SignedInLab.Password));
        lab.StartServer();
        Assert.Null(lab.Services.GetRequiredService<FirstAdminSetup>().Token);
        await using var scope = lab.Services.CreateAsyncScope();
        var users = await scope.ServiceProvider.GetRequiredService<AccountService>().ListAsync();
        Assert.Equal([("boss", "Admin")], users.Select(u => (u.UserName, u.Role)));
    }

    [Fact]
    public void Mode_None_is_refused_unless_every_listen_address_is_loopback()
    {
        Assert.Empty(AuthExtensions.NonLoopback("http://localhost:5080;http://127.0.0.1:1;http://[::1]:2"));
        Assert.Equal(["http://0.0.0.0:5080", "http://*:80", "http://lab.example:1"],
            AuthExtensions.NonLoopback("http://localhost:5080;http://0.0.0.0:5080;http://*:80;http://lab.example:1"));

        using var open = new LabFactory();
        open.Settings["urls"] = "http://0.0.0.0:5080";
        var e = Assert.Throws<InvalidOperationException>(() => open.CreateClient());
        Assert.Contains("allowed only when the lab listens on loopback alone", e.Message);
    }

    [Fact]
    public async Task In_Mode_None_a_request_from_another_machine_gets_no_identity()
    {
        await using var lab = new LabFactory();
        var remote = lab.WithWebHostBuilder(b => b.ConfigureServices(s => s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter>(new FromAfar())));
        var http = remote.CreateClient();
        var refused = await http.GetAsync("/api/methods");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("serves only this machine", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await lab.CreateClient().GetAsync("/api/methods")).StatusCode);   // loopback: the local Admin
    }

    /// <summary>Makes every request look as if it came from 10.0.0.5.</summary>
    sealed class FromAfar : Microsoft.AspNetCore.Hosting.IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, n) => { http.Connection.RemoteIpAddress = IPAddress.Parse("10.0.0.5"); return n(http); });
            next(app);
        };
    }
}
