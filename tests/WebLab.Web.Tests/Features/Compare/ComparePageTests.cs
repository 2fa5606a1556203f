// In Debian's Chromium: two seeded runs on shared charts (one line each, union of their steps), the metric only one of
// them has left off at first, the URL kept in step with the picker, and points a run logs meanwhile drawn live.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Compare;

public sealed class ComparePageTests() : BrowserTest()
{
    long lsp, zero;


    async Task SeedAsync()
    {
        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        Experiment Run(string name, string method, string config) => new() { Name = name, Method = method, ConfigJson = config, Status = ExperimentStatus.Running, CreatedAt = DateTimeOffset.UtcNow };
        var (a, b) = (Run("lsp-run", "lsp", """{"steps": 120, "qualityWeight": 0.14}"""), Run("zero-run", "lsp-zero", """{"steps": 120, "qualityWeight": 0}"""));
        db.Experiments.AddRange(a, b);
        await db.SaveChangesAsync();
        (lsp, zero) = (a.Id, b.Id);
        MetricPoint Point(long run, long step, string name, double value) => new() { ExperimentId = run, Step = step, Name = name, Value = value, Time = DateTimeOffset.UtcNow };
        db.MetricPoints.AddRange(Enumerable.Range(1, 100).Select(s => Point(lsp, s, "challenger/valid_frac", 0.98)));
        db.MetricPoints.AddRange(Enumerable.Range(1, 50).Select(s => Point(zero, s, "challenger/valid_frac", 1.0 - s / 100.0)));
        db.MetricPoints.Add(Point(lsp, 100, "quality/mean", 5.5));
        await db.SaveChangesAsync();
    }

    [Fact]
    public Task Two_runs_share_a_chart_and_a_running_one_extends_it_live() =>
        InBrowserAsync("compare", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/compare?ids={lsp},{zero}");
            var chart = page.Locator("[data-testid='compare-chart-challenger/valid_frac']");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-series", "2");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "100");   // steps 1..100 ∪ 1..50
            await Assertions.Expect(page.Locator("[data-testid=compare-metrics]")).ToContainTextAsync("quality/mean");
            await Assertions.Expect(page.Locator("[data-testid='compare-chart-quality/mean']")).ToHaveCountAsync(0); // only one run has it
            await Assertions.Expect(chart.Locator(".u-legend")).ToContainTextAsync("zero-run");
            var diff = page.Locator("[data-testid=config-diff]");
            await Assertions.Expect(diff).ToContainTextAsync("qualityWeight");                 // differs
            await Assertions.Expect(diff).Not.ToContainTextAsync("steps");                     // equal in both

            // the zero run logs steps 51..120 through the real run log: the shared chart grows to 120 steps
            await using (var log = Lab.Services.GetRequiredService<RunLogWriterFactory>().Create(zero, null, DateTimeOffset.UtcNow))
                for (int s = 51; s <= 120; s++) log.Metrics([new(s, "challenger/valid_frac", 0.3)]);
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "120");
            await ScreenshotAsync(page, "compare-page.png");

            // the picker and the URL agree: leaving one run leaves one line, and the URL says which
            await page.Locator("[data-testid=compare-runs]").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = $"#{lsp} lsp-run · lsp" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/compare\\?ids={zero}$"));
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-series", "1");
        }, seed: SeedAsync);

    [Fact]
    public async Task Runs_picked_in_the_list_open_together_in_Compare()
    {
        var ids = new List<long>();
        await InBrowserAsync("compare-from-list", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/");
            var compare = page.Locator("[data-testid=compare-selected]");
            await Assertions.Expect(compare).ToBeDisabledAsync();
            await page.Locator("tr", new() { HasText = "run-a" }).Locator("input[type=checkbox]").CheckAsync();
            await Assertions.Expect(compare).ToBeDisabledAsync();                         // one run is not a comparison
            await page.Locator("tr", new() { HasText = "run-c" }).Locator("input[type=checkbox]").CheckAsync();
            await Assertions.Expect(compare).ToContainTextAsync("Compare selected (2)");
            await compare.ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/compare\\?ids={ids[0]},{ids[2]}$"));
            var chart = page.Locator("[data-testid='compare-chart-train/loss']");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-series", "2");

            // log y redraws the shared chart on a log axis: its ticks are the decade's multiples, 1 among them
            var id = await chart.GetAttributeAsync("id");
            await page.Locator("input[data-testid=compare-log-y]").CheckAsync();
            await page.WaitForFunctionAsync($"() => (weblabCharts.yTicks('{id}') || []).includes('1')");
        }, seed: async () =>
        {
            foreach (var name in new[] { "run-a", "run-b", "run-c" })
                ids.Add(await Lab.SeedRunAsync(name, rows: (db, run) => db.MetricPoints.AddRange(Enumerable.Range(1, 5).Select(s =>
                    new MetricPoint { ExperimentId = run, Step = s, Name = "train/loss", Value = 1.0 / s, Time = DateTimeOffset.UtcNow }))));
        });
    }
}
