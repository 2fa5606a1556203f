// In Debian's Chromium at 1400 × 1000 (issue 27, defects 7 and 8): the runs list shows every column without horizontal
// scroll, long names and all; a chart's pin button is whole (at least 24 × 24 px) and pins the chart.
using System.Text.Json;
using Microsoft.Playwright;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class LayoutBrowserTests() : BrowserTest(WebLab.Training.Experiments.MethodCatalog.Default)
{
    long charted, other;

    async Task SeedAsync()
    {
        for (int i = 0; i < 4; i++)
            await Lab.SeedRunAsync($"lsp on the headroom testbed, seed {i + 1}, the long name a new user gives a run to remember why it was launched", "lsp", 600, (db, id) =>
            {
                var e = db.Experiments.Single(x => x.Id == id);
                (e.Tags, e.HeadlineMetricName, e.HeadlineMetricValue, e.StartedAt, e.FinishedAt) =
                    ("evidence-25 headroom seed-1", "eval/win_rate", 0.5523809523809524, DateTimeOffset.UtcNow.AddMinutes(-9), DateTimeOffset.UtcNow);
            });
        charted = await Lab.SeedRunAsync("charted", "sft", 10, (db, id) =>
            db.MetricPoints.AddRange(Enumerable.Range(1, 10).SelectMany(s => new[] { "train/loss", "train/lr" }
                .Select(n => new MetricPoint { ExperimentId = id, Step = s, Name = n, Value = 1.0 / s, Time = DateTimeOffset.UtcNow }))));
        other = await Lab.SeedRunAsync("another sft", "sft", 5, (db, id) =>
            db.MetricPoints.AddRange(Enumerable.Range(1, 5).SelectMany(s => new[] { "train/loss", "train/lr", "train/grad_norm" }
                .Select(n => new MetricPoint { ExperimentId = id, Step = s, Name = n, Value = 2.0 / s, Time = DateTimeOffset.UtcNow }))));
    }

    [Fact]
    public Task A_layout_saved_as_a_workspace_is_reused_on_another_run_of_the_method() => InBrowserAsync("workspace", async (page, baseUrl) =>
    {
        await page.GotoAsync($"{baseUrl}/experiments/{charted}");
        await Assertions.Expect(page.Locator("[data-testid='chart-train/lr']")).ToHaveAttributeAsync("data-points", "10");
        await page.Locator("input[data-testid=chart-filter]").FillAsync("/lr|grad/");
        await Assertions.Expect(page.Locator(".chart-box")).ToHaveCountAsync(1);
        await page.Locator("[data-testid='pin-train/lr']").ClickAsync();
        var name = page.Locator("input[data-testid=workspace-name]");
        await name.FillAsync("schedule");
        await name.BlurAsync();
        await page.Locator("[data-testid=workspace-save]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=workspace-delete]")).ToContainTextAsync("schedule");

        // another sft run opens with every chart; choosing the workspace applies its filter and pins
        await page.GotoAsync($"{baseUrl}/experiments/{other}");
        await Assertions.Expect(page.Locator("[data-testid='chart-train/grad_norm']")).ToHaveAttributeAsync("data-points", "5");
        await page.Locator("input[data-testid=chart-filter]").FillAsync("");
        await Assertions.Expect(page.Locator(".chart-box")).ToHaveCountAsync(3);
        await page.Locator("[data-testid=workspace-select]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "schedule" }).ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=chart-filter]")).ToHaveValueAsync("/lr|grad/");
        await Assertions.Expect(page.Locator(".chart-box")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=group-pinned] [data-testid='chart-train/lr']")).ToHaveAttributeAsync("data-points", "5");
        await Assertions.Expect(page.Locator("[data-testid='chart-train/loss']")).ToHaveCountAsync(0);
    }, seed: SeedAsync);

    [Fact]
    public Task The_runs_list_fits_1400_px_and_the_pin_button_is_whole() => InBrowserAsync("layout", async (page, baseUrl) =>
    {
        await page.GotoAsync(baseUrl + "/");
        var grid = page.Locator("[data-testid=experiments-grid]");
        await Assertions.Expect(grid.Locator("tbody tr")).ToHaveCountAsync(6);
        var sizes = await page.EvaluateAsync<JsonElement>(@"() => {
            const box = document.querySelector('[data-testid=experiments-grid] .mud-table-container');
            const headers = [...document.querySelectorAll('[data-testid=experiments-grid] thead th')].map(h => h.getBoundingClientRect().right);
            return { scroll: box.scrollWidth, client: box.clientWidth, right: Math.max(...headers), view: document.documentElement.clientWidth };
        }");
        Assert.True(sizes.GetProperty("scroll").GetDouble() <= sizes.GetProperty("client").GetDouble(),
            $"the list scrolls sideways: {sizes.GetProperty("scroll")} px of content in {sizes.GetProperty("client")} px");
        Assert.True(sizes.GetProperty("right").GetDouble() <= sizes.GetProperty("view").GetDouble(), "a column header lies off-screen");
        foreach (var column in new[] { "Tags", "Progress", "Headline", "Duration", "Created" })
            await Assertions.Expect(grid.Locator("thead th", new() { HasText = column })).ToBeInViewportAsync();
        await ScreenshotAsync(page, "layout-list.png");

        await page.GotoAsync($"{baseUrl}/experiments/{charted}");
        var pin = page.Locator("[data-testid='pin-train/lr']");
        await Assertions.Expect(page.Locator("[data-testid='chart-train/lr']")).ToHaveAttributeAsync("data-points", "10");
        var box = await pin.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box!.Width >= 24 && box.Height >= 24, $"pin button {box.Width} × {box.Height} px");
        await pin.ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=group-pinned] [data-testid='chart-train/lr']")).ToHaveCountAsync(1);
    }, seed: SeedAsync);
}
