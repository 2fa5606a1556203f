// Security headers and the content security policy on a real lab, the rate limit on launches, and (in Chromium) the
// pages working under the policy with no violation reported.
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Hostile;

public sealed class SecurityHeadersTests() : LabTest(TestMethods.Catalog)
{
    [Fact]
    public async Task Pages_carry_a_nonce_policy_and_every_answer_the_safety_headers()
    {
        var page = await Http.GetAsync("/experiments");
        var policy = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
        var nonce = Regex.Match(policy, "'nonce-([^']+)'").Groups[1].Value;
        Assert.NotEmpty(nonce);
        Assert.Contains("script-src 'self' 'nonce-", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.Contains($"nonce=\"{nonce}\"", await page.Content.ReadAsStringAsync());        // the import map is allowed, nothing else inline
        var again = string.Join(" ", (await Http.GetAsync("/experiments")).Headers.GetValues("Content-Security-Policy"));
        Assert.DoesNotContain(nonce, again);                                                 // a fresh nonce per response

        var api = await Http.GetAsync("/api/methods");
        Assert.Equal("nosniff", string.Join("", api.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join("", api.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", string.Join("", api.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task Launches_beyond_the_limit_get_a_429_that_says_why()
    {
        await using var lab = new LabFactory(TestMethods.Catalog);
        lab.Settings["WebLab:LaunchesPerMinute"] = "3";
        using var http = lab.CreateClient();
        var codes = new List<HttpStatusCode>();
        for (int i = 0; i < 4; i++)
            codes.Add((await http.PostAsJsonAsync("/api/experiments", new { method = "nope" })).StatusCode);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], codes);
        var refused = await http.PostAsJsonAsync("/api/sweeps", new { method = "nope" });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("at most 3 launches a minute", await refused.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/experiments")).StatusCode);   // reading is not limited
    }

    [Fact]
    public async Task A_person_s_launches_are_limited_however_they_are_made()
    {
        // the service counts each launch by its person (the form calls it too), whatever address the requests came from
        await using var lab = new LabFactory(TestMethods.Catalog);
        lab.Settings["WebLab:LaunchesPerMinute"] = "2";
        lab.StartServer();
        var results = new List<IDictionary<string, string[]>>();
        for (int i = 0; i < 3; i++)
        {
            await using var scope = lab.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WebLab.Web.Features.Accounts.CurrentActor>().Name = "ann";   // as the form acts for its person
            var service = scope.ServiceProvider.GetRequiredService<WebLab.Web.Features.Experiments.RunLaunches>();
            results.Add((await service.CreateAsync(new(null, TestMethods.Name, null, TestMethods.Quick(steps: 1), null, null))).Errors);
        }
        Assert.Empty(results[0]);
        Assert.Empty(results[1]);
        Assert.Contains("the most WebLab:LaunchesPerMinute allows", Assert.Single(results[2]["launch"]));
        await using var db = await lab.Services.GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<WebLab.Web.Data.WebLabDb>>().CreateDbContextAsync();
        Assert.Equal(2, await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.Experiments));   // the third wrote nothing
    }
}

public sealed class PolicyBrowserTests() : BrowserTest()
{
    [Fact]
    public async Task The_pages_work_under_the_policy_and_report_no_violation()
    {
        long id = 0;
        await InBrowserAsync("csp", async (page, baseUrl) =>
        {
            var violations = new List<string>();
            page.Console += (_, m) => { if (m.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add(m.Text); };
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await Assertions.Expect(page.Locator("[data-testid='chart-train/loss']")).ToHaveAttributeAsync("data-points", "3");   // uPlot drew
            await page.GotoAsync($"{baseUrl}/experiments/new");
            await Assertions.Expect(page.Locator("input[data-testid=field-steps]")).ToHaveValueAsync("20");                   // Blazor's circuit answers
            await page.GotoAsync($"{baseUrl}/compare?ids={id}");
            await Assertions.Expect(page.Locator("[data-testid='compare-chart-train/loss']")).ToHaveAttributeAsync("data-points", "3");
            await page.GotoAsync($"{baseUrl}/experiments");
            await Assertions.Expect(page.Locator("[data-testid=experiments-grid]")).ToContainTextAsync("csp-run");
            Assert.Empty(violations);
        }, seed: async () => id = await Lab.SeedRunAsync("csp-run", "counting", steps: 3, rows: (db, run) =>
        {
            for (int s = 1; s <= 3; s++) db.MetricPoints.Add(new MetricPoint { ExperimentId = run, Step = s, Name = "train/loss", Value = 1.0 / s, Time = DateTimeOffset.UtcNow });
        }));
    }
}
