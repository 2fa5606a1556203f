// In Debian's Chromium (issue 27, defect 12): a browser that asks for a page the lab cannot give gets a page in words with
// a way back (an id that is not one, an unknown path, the Hangfire dashboard for a non-Admin, the set-up page once the lab
// is set up); an API client asking the same keeps problem-JSON.
using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Diagnostics;

public sealed class ErrorPagesBrowserTests : IAsyncLifetime
{
    readonly LabFactory lab = SignedInLab.Create();
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await lab.DisposeAsync();

    [Fact]
    public async Task Browsers_get_pages_in_words_and_api_clients_problem_json()
    {
        var chromium = DebianChromium.Ensure();
        lab.UseKestrel(0);
        lab.StartServer();
        await lab.UserWithTokenAsync("ada", LabRoles.Admin);
        await lab.UserWithTokenAsync("vic", LabRoles.Viewer);
        var baseUrl = lab.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();

        await using var context = await BrowserTest.NewContextAsync(await BrowserTest.SharedChromiumAsync(chromium));
        var page = await BrowserTest.NewPageAsync(context);
        try
        {
            // signed out: the set-up page says the lab is set up, and points at sign-in
            var setup = await page.GotoAsync($"{baseUrl}/setup");
            Assert.Equal(404, setup!.Status);
            await Assertions.Expect(page.Locator("[data-testid=error-detail]")).ToContainTextAsync("This lab is set up already");

            await page.GotoAsync($"{baseUrl}/signin");
            await page.Locator("input[name=userName]").FillAsync("vic");
            await page.Locator("input[name=password]").FillAsync(SignedInLab.Password);
            await page.Locator("button[type=submit]").ClickAsync();
            await page.WaitForURLAsync(u => !u.Contains("/signin"));

            foreach (var (path, status, words) in new[]
            {
                ("/experiments/abc", 404, "There is no page at /experiments/abc."),
                ("/no/such/page?x=1", 404, "There is no page at /no/such/page?x=1."),
                ("/hangfire", 403, "vic (Viewer) may not do this."),
            })
            {
                var response = await page.GotoAsync(baseUrl.TrimEnd('/') + path);
                Assert.Equal(status, response!.Status);
                Assert.StartsWith("text/html", response.Headers["content-type"]);
                await Assertions.Expect(page.Locator("[data-testid=error-detail]")).ToHaveTextAsync(words);
                await Assertions.Expect(page.Locator("[data-testid=error-back]")).ToHaveAttributeAsync("href", "/");
            }
            await BrowserTest.ScreenshotAsync(page, "error-page.png");
        }
        finally { await page.CloseAsync(); }

        // the same requests from an API client: problem-JSON
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };      // the lab listens on Kestrel here
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await lab.UserWithTokenAsync("api", LabRoles.Viewer));
        foreach (var path in new[] { "/experiments/abc", "/api/experiments/abc", "/no/such/page" })
        {
            var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            var r = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
            Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        }
    }
}
