// In Debian's Chromium (issue 27, defects 1 and 6): Compare draws evaluation series at their measured values on 0–1, as
// the run page does, whatever the smoothing; its summary table gives each run's final and best values with their steps
// and the win rate's W / T / L and p; the Self-play tab's share charts are stacked, with whole-number step ticks.
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Compare;

public sealed class CompareMeasuredBrowserTests() : BrowserTest(WebLab.Training.Experiments.MethodCatalog.Default)
{
    // three self-play runs, win rate measured at 150 and 300: the values the defect report read, and their tallies at 300
    static readonly (double At150, double At300, int W, int T, int L)[] Runs = [(0.541, 0.556, 30, 407, 7), (0.508, 0.525, 16, 409, 5), (0.512, 0.524, 14, 412, 4)];
    readonly List<long> ids = [];

    async Task SeedAsync()
    {
        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        for (int r = 0; r < Runs.Length; r++)
        {
            var e = new Experiment { Name = $"lsp seed {r + 1}", Method = "lsp", ConfigJson = $$"""{"seed": {{r + 1}}}""", Status = ExperimentStatus.Succeeded, CreatedAt = DateTimeOffset.UtcNow };
            db.Experiments.Add(e);
            await db.SaveChangesAsync();
            ids.Add(e.Id);
            MetricPoint P(long step, string name, double value) => new() { ExperimentId = e.Id, Step = step, Name = name, Value = value, Time = DateTimeOffset.UtcNow };
            var (a, b, w, t, l) = Runs[r];
            db.MetricPoints.AddRange(P(150, "eval/win_rate", a), P(300, "eval/win_rate", b), P(300, "eval/wins", w), P(300, "eval/ties", t), P(300, "eval/losses", l),
                P(300, "eval/sign_test_p", 0.01 * (r + 1)));
            // a stacked share family for the Self-play tab: two families at steps 1–4
            for (int s = 1; s <= 4; s++) db.MetricPoints.AddRange(P(s, "challenger/family/rev", 0.25 * (s % 2 + 1)), P(s, "challenger/family/add", 1 - 0.25 * (s % 2 + 1)));
        }
        await db.SaveChangesAsync();
    }

    [Fact]
    public Task Compare_reads_back_the_measured_values_and_the_share_charts_are_stacked() =>
        InBrowserAsync("compare-measured", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/compare?ids={string.Join(',', ids)}");
            var chart = page.Locator("[data-testid='compare-chart-eval/win_rate']");
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-series", "3");
            var drawn = await page.EvaluateAsync<JsonElement>("id => weblabCharts.drawnMulti(id)", "compare-eval_win_rate");
            Assert.Equal([150.0, 300.0], drawn.GetProperty("xs").EnumerateArray().Select(x => x.GetDouble()));
            // each run's series is its measurements, not an EMA of them (0.6·0.541 + 0.4·0.556 would read 0.547)
            Assert.Equal(Runs.Select(r => new[] { r.At150, r.At300 }), drawn.GetProperty("ys").EnumerateArray().Select(y => y.EnumerateArray().Select(v => v.GetDouble()).ToArray()));
            Assert.Equal((0.0, 1.0), (drawn.GetProperty("yMin").GetDouble(), drawn.GetProperty("yMax").GetDouble()));   // the run page's 0–1 axis

            var row = page.Locator("[data-testid=compare-summary-row][data-metric='eval/win_rate']").First;
            await Assertions.Expect(row.Locator("[data-testid=summary-final]")).ToHaveTextAsync("0.556");
            await Assertions.Expect(row.Locator("[data-testid=summary-best]")).ToHaveTextAsync("0.556");
            await Assertions.Expect(page.Locator("[data-testid=compare-tallies]")).ToContainTextAsync("30 / 407 / 7");
            await ScreenshotAsync(page, "compare-measured.png");

            await page.GotoAsync($"{baseUrl}/experiments/{ids[0]}");
            await Poll.UntilAsync(async () =>
            {
                await page.GetByRole(AriaRole.Tab, new() { Name = "Self-play" }).ClickAsync();
                return await page.Locator("[data-testid=chart-families]").GetAttributeAsync("data-stacked") == "true";
            }, "the Self-play tab's family shares drawn stacked");
            var families = await page.EvaluateAsync<JsonElement>("id => weblabCharts.drawnMulti(id)", await page.Locator("[data-testid=chart-families]").GetAttributeAsync("id"));
            Assert.All(families.GetProperty("xTicks").EnumerateArray().Select(t => t.GetString()!).Where(t => t.Length > 0),
                t => Assert.Matches("^[0-9,]+$", t));                                  // whole-number steps, never 2.5
        }, seed: SeedAsync);
}
