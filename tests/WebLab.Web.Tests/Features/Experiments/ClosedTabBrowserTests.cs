// A browser tab that goes away mid-run stalls nothing (Debian's Chromium, the real app): two tabs watch a run, one is
// closed; the other receives every point once, in order, never pausing over 2 s, and the run's recorded duration is
// within 2 s of its training time.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ClosedTabBrowserTests() : BrowserTest()
{
    const int Steps = 200;
    sealed record Arrival(long Id, long Step, double At);

    [Fact]
    public Task Closing_one_watching_tab_mid_run_never_pauses_the_other_or_the_run()
    {
        long id = 0;
        return InBrowserAsync("closed-tab", async (page, baseUrl) =>
        {
            var other = await page.Context.NewPageAsync();                      // a second window on the same run
            await other.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            var chart = page.Locator("[data-testid='chart-train/loss']");
            var otherChart = other.Locator("[data-testid='chart-train/loss']");
            await Assertions.Expect(otherChart).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9]"));
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9]"));
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Running");   // the tab goes mid-run
            await other.CloseAsync();                                         // its circuit lingers, its JS calls never answer

            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 60_000 });
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", Steps.ToString());
            var arrivals = JsonSerializer.Deserialize<Arrival[]>(
                (await page.EvaluateAsync<JsonElement>("id => weblabCharts.arrivals(id)", "chart-train_loss")).GetRawText(), JsonSerializerOptions.Web)!;

            Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), arrivals.Select(a => a.Step));   // every point once, in order
            var pauses = arrivals.Zip(arrivals.Skip(1), (a, b) => (b.At - a.At) / 1000).ToList();
            Assert.True(pauses.Max() <= 2, $"the open tab waited {pauses.Max():0.00} s for a point");

            await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
            var run = await db.Experiments.SingleAsync(e => e.Id == id);
            var lastStep = await db.MetricPoints.Where(m => m.ExperimentId == id).MaxAsync(m => m.Time);
            var training = (lastStep - run.StartedAt!.Value).TotalSeconds;
            var recorded = (run.FinishedAt!.Value - run.StartedAt.Value).TotalSeconds;
            Assert.True(recorded - training <= 2, $"recorded {recorded:0.0} s for {training:0.0} s of training");
        },
        // 200 steps of 50 ms: about 10 s of logging, long enough to close a tab mid-run
        seed: async () => id = await Lab.CreateClient().LaunchAsync(TestMethods.Quick(steps: Steps, stepDelayMs: 50)));
    }

    [Fact]
    public Task A_quiet_stream_says_how_long_since_the_last_update() =>
        InBrowserAsync("quiet-stream", async (page, baseUrl) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var id = await http.LaunchAsync(TestMethods.Quick(steps: 3, stepDelayMs: 8_000));   // a step every 8 s: quiet in between
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Running", new() { Timeout = 30_000 });
            // quiet for 5 s: the page says so, and counts on while nothing comes
            var quietFor = new LocatorAssertionsToHaveTextOptions { Timeout = 15_000 };   // it shows only after 5 s of quiet
            await Assertions.Expect(page.Locator("[data-testid=last-update]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^last update [5-9]s ago$"), quietFor);
            await Assertions.Expect(page.Locator("[data-testid=last-update]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^last update [6-9]s ago$"), quietFor);
            await http.PostAsync($"/api/experiments/{id}/cancel", null);
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Cancelled", new() { Timeout = 30_000 });
            await Assertions.Expect(page.Locator("[data-testid=last-update]")).ToHaveCountAsync(0);   // a stopped run has nothing to wait for
        });
}
