// The workspace in Chromium on a real lab: the runs list with tags, chosen config and metric columns and sorting; a sweep
// launched from the form, one run per grid point, grouped on its page and opened together on Compare; share metrics as one
// stacked chart; a pinned chart remembered for the method.
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class WorkspaceBrowserTests() : BrowserTest()
{
    [Fact]
    public async Task The_runs_list_shows_tags_and_chosen_columns_sorted()
    {
        var ids = new List<long>();
        await InBrowserAsync("runs-list", async (page, baseUrl) =>
        {
            await page.GotoAsync(baseUrl + "/experiments");
            await page.Locator("[data-testid=config-columns]").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "learningRate" }).ClickAsync();
            await page.Keyboard.PressAsync("Escape");
            await page.Locator("[data-testid=metric-columns]").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "train/loss" }).ClickAsync();
            await page.Keyboard.PressAsync("Escape");
            await Assertions.Expect(page.Locator($"[data-testid='config-{ids[0]}-learningRate']")).ToHaveTextAsync("0.05");
            // counting logs train/loss = 1 / (1 + lr · step); its last step is 5
            await Assertions.Expect(page.Locator($"[data-testid='metric-{ids[1]}-train/loss']")).ToHaveTextAsync(new Regex("^0\\.9(09|1)"));

            var grid = page.Locator("[data-testid=experiments-grid]");
            async Task<List<string>> Column() => [.. (await grid.Locator("tbody [data-testid$='-learningRate']").AllTextContentsAsync()).Select(t => t.Trim())];
            Assert.Equal(["0.2", "0.02", "0.05"], await Column());                            // newest first
            await grid.Locator(".sortable-column-header", new() { HasText = "learningRate" }).ClickAsync();
            await Assertions.Expect(grid.Locator("tbody [data-testid$='-learningRate']").First).ToHaveTextAsync("0.02");
            Assert.Equal(["0.02", "0.05", "0.2"], await Column());

            await Assertions.Expect(page.Locator($"[data-testid=tag-{ids[2]}-baseline]")).ToBeVisibleAsync();
            await page.Mouse.MoveAsync(0, 0);
            await ScreenshotAsync(page, "runs-list.png");
            await page.Locator($"[data-testid=tag-{ids[0]}-scan]").ClickAsync();                // a tag chip searches for that tag
            await Assertions.Expect(page.Locator("input[data-testid=search]")).ToHaveValueAsync("tag:scan");
            await Assertions.Expect(grid.Locator("tbody [data-testid$='-learningRate']")).ToHaveCountAsync(2);
        }, seed: async () =>
        {
            var http = Lab.CreateClient();
            foreach (var (lr, tags) in new[] { (0.05, new[] { "scan" }), (0.02, new[] { "scan" }), (0.2, new[] { "baseline" }) })
            {
                var r = await System.Net.Http.Json.HttpClientJsonExtensions.PostAsJsonAsync(http, "/api/experiments",
                    new { method = TestMethods.Name, preset = TestMethods.Preset, overrides = new { steps = 5, stepDelayMs = 1, learningRate = lr }, tags });
                ids.Add((await System.Net.Http.Json.HttpContentJsonExtensions.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(r.Content))!["id"]!.GetValue<long>());
            }
            foreach (var id in ids) await http.WaitForStatusAsync(id, "Succeeded", 60);
        });
    }

    [Fact]
    public Task A_sweep_from_the_form_launches_a_run_per_point_and_opens_them_together() => InBrowserAsync("sweep-form", async (page, baseUrl) =>
    {
        await page.GotoAsync(baseUrl + "/experiments/new");
        await page.Locator("input[data-testid=field-stepDelayMs]").FillAsync("1");
        await page.Locator("input[data-testid=field-stepDelayMs]").BlurAsync();
        await page.Locator("[data-testid=sweep-section] summary").ClickAsync();
        await page.Locator("[data-testid=sweep-option-0]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "learningRate" }).ClickAsync();
        var values = page.Locator("input[data-testid=sweep-values-0]");
        await values.FillAsync("0.01, 7");
        await values.BlurAsync();
        // a bad point is named beside its axis before launch
        await Assertions.Expect(page.Locator(".mud-input-control", new() { Has = values })).ToContainTextAsync("must be from 1e-9 to 1; got 7 (at learningRate=7)");
        await Assertions.Expect(page.Locator("[data-testid=launch]")).ToBeDisabledAsync();
        await values.FillAsync("0.01, 0.1");
        await values.BlurAsync();
        await Assertions.Expect(page.Locator("[data-testid=launch]")).ToHaveTextAsync("Launch sweep (2 runs)");
        await page.Locator("[data-testid=launch]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/sweeps/\\d+$"));
        var table = page.Locator("[data-testid=sweep-table]");
        await Assertions.Expect(table.Locator("tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(table).ToContainTextAsync("learningRate=0.01");
        await Assertions.Expect(table).ToContainTextAsync("learningRate=0.1");
        await Assertions.Expect(table.Locator("tbody tr", new() { HasText = "Succeeded" })).ToHaveCountAsync(2, new() { Timeout = 60_000 });
        // the option against the headline: a point per run, at each run's value
        var scatter = page.Locator("[data-testid=sweep-scatter-learningRate] circle");
        await Assertions.Expect(scatter).ToHaveCountAsync(2);
        Assert.Equal(["0.01", "0.1"], (await scatter.EvaluateAllAsync<string[]>("cs => cs.map(c => c.dataset.value)")).Order());
        await Assertions.Expect(page.Locator("[data-testid=sweep-scatter-learningRate]")).ToHaveAttributeAsync("data-log-x", "true");
        await ScreenshotAsync(page, "sweep-page.png");
        await page.Locator("[data-testid=sweep-compare]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/compare\\?ids=\\d+,\\d+$"));
    });

    [Fact]
    public async Task Shares_are_one_stacked_chart_and_a_pinned_chart_is_remembered()
    {
        long id = 0;
        await InBrowserAsync("stacked-pinned", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            var stacked = page.Locator("[data-testid='chart-challenger/family/*']");
            await Assertions.Expect(stacked).ToHaveAttributeAsync("data-stacked", "true");
            await Assertions.Expect(stacked).ToHaveAttributeAsync("data-series", "2");
            await Assertions.Expect(stacked).ToHaveAttributeAsync("data-points", "3");
            await Assertions.Expect(page.Locator("[data-testid='chart-challenger/family/add']")).ToHaveCountAsync(0);   // not seven panels

            var pinned = page.Locator("[data-testid=group-pinned]");
            await Assertions.Expect(pinned.Locator("[data-testid='chart-quality/mean']")).ToHaveCountAsync(0);
            await page.Locator("[data-testid='pin-quality/mean']").ClickAsync();
            await Assertions.Expect(pinned.Locator("[data-testid='chart-quality/mean']")).ToHaveCountAsync(1);
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=group-pinned] [data-testid='chart-quality/mean']")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-testid=group-pinned] [data-testid='chart-quality/mean']")).ToHaveAttributeAsync("data-points", "3");
        }, seed: async () => id = await Lab.SeedRunAsync("shares", "lsp", steps: 3, rows: (db, run) =>
        {
            var t = DateTimeOffset.UtcNow;
            for (int s = 1; s <= 3; s++)
                db.MetricPoints.AddRange(
                    new MetricPoint { ExperimentId = run, Step = s, Name = "challenger/family/add", Value = 0.25 * s, Time = t },
                    new MetricPoint { ExperimentId = run, Step = s, Name = "challenger/family/len", Value = 1 - 0.25 * s, Time = t },
                    new MetricPoint { ExperimentId = run, Step = s, Name = "quality/mean", Value = s, Time = t },
                    new MetricPoint { ExperimentId = run, Step = s, Name = "train/loss", Value = 1.0 / s, Time = t });
        }));
    }
}
