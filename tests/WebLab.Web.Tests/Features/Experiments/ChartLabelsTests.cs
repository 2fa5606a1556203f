// In Debian's Chromium: chart numbers stay readable at every scale. uPlot's own formatter keeps three decimals, so a
// learning-rate axis stepping by 0.0005 read 0.002, 0.002, 0.001, 0.001, and the paper's lr of 3e-6 read 0 everywhere.
// A log y axis labels its decades.
using Microsoft.Playwright;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ChartLabelsTests() : BrowserTest()
{
    long id;

    // a warm-up-then-decay schedule peaking at 2e-3, and the paper's GRPO learning rate scale
    async Task SeedAsync() => id = await Lab.SeedRunAsync("scales", rows: (db, run) =>
    {
        MetricPoint Point(long step, string name, double value) => new() { ExperimentId = run, Step = step, Name = name, Value = value, Time = DateTimeOffset.UtcNow };
        db.MetricPoints.AddRange(Enumerable.Range(1, 200).Select(s => Point(s, "train/lr", 2e-3 * Math.Min(s / 20.0, (200 - s) / 180.0))));
        db.MetricPoints.AddRange(Enumerable.Range(1, 200).Select(s => Point(s, "train/tiny", 1e-6 + 2e-6 * s / 200.0)));
        db.MetricPoints.AddRange(Enumerable.Range(1, 200).Select(s => Point(s, "kl/solver", Math.Pow(10, -3 + 4 * s / 200.0))));  // 0.001 → 10
    });

    [Fact]
    public Task Tick_labels_and_hover_values_keep_the_digits_that_tell_them_apart() =>
        InBrowserAsync("chart-labels", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");

            // hand-worked: as many decimals as the step between ticks needs, exponents below 0.001
            Assert.Equal(["0.0000", "0.0005", "0.0010", "0.0015", "0.0020"],
                await page.EvaluateAsync<string[]>("() => weblabCharts.tickLabels([0, 0.0005, 0.001, 0.0015, 0.002], 0.0005)"));
            Assert.Equal(["0.25", "0.50", "0.75"], await page.EvaluateAsync<string[]>("() => weblabCharts.tickLabels([0.25, 0.5, 0.75], 0.25)"));
            Assert.Equal(["10,000", "15,000"], await page.EvaluateAsync<string[]>("() => weblabCharts.tickLabels([10000, 15000], 5000)"));
            Assert.Equal(["2.50e-6", "2.75e-6", "3.00e-6"],
                await page.EvaluateAsync<string[]>("() => weblabCharts.tickLabels([2.5e-6, 2.75e-6, 3e-6], 2.5e-7)"));
            Assert.Equal(["3.000e-6", "0.0015", "12,346", "--"],
                await page.EvaluateAsync<string[]>("() => [3e-6, 0.0015, 12345.678, null].map(weblabCharts.formatValue)"));

            // the page's own charts use them: every tick label differs from the next
            foreach (var (chart, metric) in new[] { ("chart-train_lr", "train/lr"), ("chart-train_tiny", "train/tiny") })
            {
                await Assertions.Expect(page.Locator($"[data-testid='chart-{metric}']")).ToHaveAttributeAsync("data-points", "200");
                var ticks = await page.EvaluateAsync<string[]>($"() => weblabCharts.yTicks('{chart}')");
                Assert.True(ticks.Length >= 3, $"{metric}: {string.Join(" | ", ticks)}");
                Assert.Equal(ticks.Length, ticks.Distinct().Count());
            }
            var tiny = await page.EvaluateAsync<string[]>("() => weblabCharts.yTicks('chart-train_tiny')");
            Assert.All(tiny, t => Assert.Matches(@"^\d\.\d+e-6$", t));

            // hovering the tiny chart shows the value, not 0 (scrolled to first: its section may start below the fold)
            await page.Locator("#chart-train_tiny").ScrollIntoViewIfNeededAsync();
            var box = (await page.Locator("#chart-train_tiny .u-over").BoundingBoxAsync())!;
            await page.Mouse.MoveAsync(box.X + box.Width / 2, box.Y + box.Height / 2);
            await Assertions.Expect(page.Locator("#chart-train_tiny .u-legend")).ToContainTextAsync("e-6");
            await ScreenshotAsync(page, "chart-labels.png");

            // log y: decades labelled 0.001 … 10; a chart with a 0 in it (the lr schedule's last step) still draws
            await page.Locator("input[data-testid=log-y]").CheckAsync();
            await page.WaitForFunctionAsync("() => (weblabCharts.yTicks('chart-kl_solver') || []).includes('10')");
            var log = (await page.EvaluateAsync<string[]>("() => weblabCharts.yTicks('chart-kl_solver')")).Where(t => t != "").ToArray();
            Assert.Subset(log.ToHashSet(), new HashSet<string> { "0.01", "0.1", "1", "10" });
            Assert.Equal(log.Length, log.Distinct().Count());
            await Assertions.Expect(page.Locator("[data-testid='chart-train/lr']")).ToHaveAttributeAsync("data-points", "200");
            Assert.NotEmpty(await page.EvaluateAsync<string[]>("() => weblabCharts.yTicks('chart-train_lr')"));
            await ScreenshotAsync(page, "chart-log.png");
        }, seed: SeedAsync);
}
