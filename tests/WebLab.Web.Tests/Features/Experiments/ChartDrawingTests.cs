// In Debian's Chromium: an evaluation series is drawn at its measured values (never smoothed across evaluations that are
// steps apart: three win rates of 0.5 are drawn at 0.5, where the EMA used to draw 0.503), a dense series still is
// smoothed; rates sit on 0–1 and the quality score on 0–7; the step axis ticks at integers even over the first steps.
// Panels are grouped by prefix into collapsible sections, the headline metric pinned first, and a filter box takes a
// substring or a /regex/.
using System.Text.Json;
using Microsoft.Playwright;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ChartDrawingTests() : BrowserTest()
{
    long id, early;

    async Task SeedAsync()
    {
        id = await Lab.SeedRunAsync("lsp-like", "lsp", 90, (db, run) =>
        {
            MetricPoint Point(long step, string name, double value) => new() { ExperimentId = run, Step = step, Name = name, Value = value, Time = DateTimeOffset.UtcNow };
            db.MetricPoints.AddRange(new[] { 30, 60, 90 }.Select(s => Point(s, "eval/win_rate", 0.5)));
            db.MetricPoints.AddRange(new[] { 30, 60, 90 }.Select((s, i) => Point(s, "eval/accuracy", 0.2 + 0.1 * i)));
            db.MetricPoints.AddRange(Enumerable.Range(1, 90).Select(s => Point(s, "solver/reward_mean", s % 2 == 0 ? 1.0 : 0.0)));
            db.MetricPoints.AddRange(Enumerable.Range(1, 90).Select(s => Point(s, "quality/mean", 3 + (s % 3))));
            db.MetricPoints.AddRange(Enumerable.Range(1, 90).Select(s => Point(s, "challenger/valid_frac", 0.9 + 0.001 * (s % 7))));
            db.Experiments.Single(e => e.Id == run).HeadlineMetricName = "eval/win_rate";
        });
        early = await Lab.SeedRunAsync("early", "sft", 3, (db, run) =>
            db.MetricPoints.AddRange(Enumerable.Range(1, 3).Select(s => new MetricPoint { ExperimentId = run, Step = s, Name = "train/loss", Value = 3.0 / s, Time = DateTimeOffset.UtcNow })));
    }

    sealed record Drawn(double[] Xs, double?[] Raw, double?[] Smooth, double YMin, double YMax, string[]? XTicks, bool Sparse);

    static async Task<Drawn> DrawnAsync(IPage page, string chart)
    {
        await page.WaitForFunctionAsync($"() => weblabCharts.drawn('{chart}') !== null");
        var json = await page.EvaluateAsync<JsonElement>($"() => weblabCharts.drawn('{chart}')");
        return json.Deserialize<Drawn>(new JsonSerializerOptions(JsonSerializerDefaults.Web))!;
    }

    [Fact]
    public Task Evaluations_are_drawn_as_measured_on_their_natural_ranges() =>
        InBrowserAsync("chart-drawing", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await Assertions.Expect(page.Locator("[data-testid='chart-eval/win_rate']")).ToHaveAttributeAsync("data-points", "3");

            var win = await DrawnAsync(page, "chart-eval_win_rate");
            Assert.True(win.Sparse);
            Assert.Equal([0.5, 0.5, 0.5], win.Smooth.Select(v => v!.Value));          // the measurements, not an EMA across them
            Assert.Equal((0.0, 1.0), (win.YMin, win.YMax));
            var accuracy = await DrawnAsync(page, "chart-eval_accuracy");
            Assert.Equal(accuracy.Raw, accuracy.Smooth);

            var reward = await DrawnAsync(page, "chart-solver_reward_mean");          // dense: still smoothed (EMA 0.6)
            Assert.False(reward.Sparse);
            Assert.NotEqual(reward.Raw, reward.Smooth);
            Assert.Equal(0.4, reward.Smooth[1]!.Value, 6);                             // 0.6·0 + 0.4·1

            var quality = await DrawnAsync(page, "chart-quality_mean");
            Assert.Equal((0.0, 7.0), (quality.YMin, quality.YMax));
            var valid = await DrawnAsync(page, "chart-challenger_valid_frac");
            Assert.Equal((0.0, 1.0), (valid.YMin, valid.YMax));
            await ScreenshotAsync(page, "charts-evaluations.png");

            await page.GotoAsync($"{baseUrl}/experiments/{early}");
            await Assertions.Expect(page.Locator("[data-testid='chart-train/loss']")).ToHaveAttributeAsync("data-points", "3");
            var loss = await DrawnAsync(page, "chart-train_loss");
            Assert.NotNull(loss.XTicks);
            Assert.All(loss.XTicks!.Where(t => t != ""), t => Assert.Matches(@"^\d+$", t));   // 1, 2, 3 — never 1.2, 1.4
        }, seed: SeedAsync);

    static async Task<string[]> ChartsInAsync(IPage page, string group) =>
        [.. (await page.Locator($"[data-testid='group-{group}'] .chart-box").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.testid)")).Select(t => t[6..])];

    [Fact]
    public Task Panels_are_grouped_pinned_and_filtered() =>
        InBrowserAsync("chart-groups", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await Assertions.Expect(page.Locator("[data-testid='chart-eval/win_rate']")).ToHaveAttributeAsync("data-points", "3");
            var groups = await page.Locator("details.chart-group").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.testid)");
            Assert.Equal(["group-pinned", "group-challenger", "group-eval", "group-quality", "group-solver"], groups);
            Assert.Equal(["eval/win_rate"], await ChartsInAsync(page, "pinned"));
            Assert.Equal(["eval/accuracy"], await ChartsInAsync(page, "eval"));

            // collapsing a section hides its charts and keeps them drawn
            await page.Locator("[data-testid='group-solver'] > summary").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid='chart-solver/reward_mean']")).ToBeHiddenAsync();
            await Assertions.Expect(page.Locator("[data-testid='chart-solver/reward_mean']")).ToHaveAttributeAsync("data-points", "90");
            await page.Locator("[data-testid='group-solver'] > summary").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid='chart-solver/reward_mean']")).ToBeVisibleAsync();

            var filter = page.Locator("input[data-testid=chart-filter]");
            await filter.FillAsync("reward");
            await Assertions.Expect(page.Locator(".chart-box")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-testid='chart-solver/reward_mean']")).ToHaveAttributeAsync("data-points", "90");

            await filter.FillAsync("/^eval/");
            await Assertions.Expect(page.Locator(".chart-box")).ToHaveCountAsync(2);
            Assert.Equal(["eval/win_rate"], await ChartsInAsync(page, "pinned"));
            await Assertions.Expect(page.Locator("[data-testid='chart-eval/accuracy']")).ToHaveAttributeAsync("data-points", "3");   // redrawn on return

            await filter.FillAsync("/[/");
            await Assertions.Expect(page.GetByText("not a regex")).ToBeVisibleAsync();
            await filter.FillAsync("");
            await Assertions.Expect(page.Locator(".chart-box")).ToHaveCountAsync(5);
            await ScreenshotAsync(page, "charts-grouped.png");
        }, seed: SeedAsync);

    [Fact]
    public async Task Per_split_series_share_one_panel_and_every_panel_one_step_range()
    {
        long run = 0;
        await InBrowserAsync("chart-families", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{run}");
            var lsr = page.Locator("[data-testid='chart-eval/lsr/*']");
            await Assertions.Expect(lsr).ToHaveAttributeAsync("data-series", "3");
            await Assertions.Expect(lsr).ToHaveAttributeAsync("data-points", "3");
            await Assertions.Expect(lsr).ToHaveAttributeAsync("data-stacked", "false");
            await Assertions.Expect(page.Locator("[data-testid='chart-eval/lsr/count']")).ToHaveCountAsync(0);         // not a panel per split
            await Assertions.Expect(page.Locator("[data-testid='chart-solver/reward/level_*']")).ToHaveAttributeAsync("data-series", "2");

            var lines = await page.EvaluateAsync<JsonElement>("() => weblabCharts.drawnMulti('chart-eval_lsr__')");
            Assert.Equal([0.0, 50, 100], lines.GetProperty("xs").EnumerateArray().Select(x => x.GetDouble()));
            // count has no point at 50: a gap (null), not a zero
            Assert.Equal(JsonValueKind.Null, lines.GetProperty("ys")[1][1].ValueKind);   // splits in order: color, count, shape
            Assert.Equal((0.0, 1.0), (lines.GetProperty("yMin").GetDouble(), lines.GetProperty("yMax").GetDouble()));

            // the dense panel (steps 1–90) is drawn over the evaluations' 0–100 too
            async Task<double[]> XRange(string id) =>
                (await page.EvaluateAsync<double[]>($"() => weblabCharts.xRange('{id}')"));
            await page.WaitForFunctionAsync("() => weblabCharts.xRange('chart-solver_reward_mean') !== null");
            foreach (var chart in new[] { "chart-solver_reward_mean", "chart-eval_lsr__", "chart-solver_reward_level__" })
                Assert.Equal(new double[] { 0, 100 }, await XRange(chart));
            await ScreenshotAsync(page, "charts-families.png");
        }, seed: async () => run = await Lab.SeedRunAsync("vision-like", "vision-sr1", 100, (db, r) =>
        {
            MetricPoint Point(long step, string name, double value) => new() { ExperimentId = r, Step = step, Name = name, Value = value, Time = DateTimeOffset.UtcNow };
            foreach (var split in new[] { "count", "color", "shape" })
                db.MetricPoints.AddRange(new[] { 0, 50, 100 }.Where(s => split != "count" || s != 50).Select(s => Point(s, "eval/lsr/" + split, 0.1 + s / 1000.0)));
            db.MetricPoints.AddRange(Enumerable.Range(1, 90).Select(s => Point(s, "solver/reward_mean", 0.5)));
            db.MetricPoints.AddRange(Enumerable.Range(1, 90).SelectMany(s => new[] { Point(s, "solver/reward/level_1", 0.9), Point(s, "solver/reward/level_2", 0.4) }));
        }));
    }
}
