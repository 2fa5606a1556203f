// End to end in Debian's Chromium: the New experiment form launches a real tiny-cpu SFT run; the loss chart fills live
// and the status reaches Succeeded.
using Microsoft.Playwright;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class BrowserTests() : BrowserTest(MethodCatalog.Default)
{
    const int SftTinySteps = 800; // the sft tiny-cpu preset
    const int Steps = 400;        // what the test asks for: evaluations at 200 and 400


    [Fact]
    public Task New_experiment_form_launches_a_run_whose_chart_and_status_update_live() =>
        InBrowserAsync("sft-run", LaunchAndWatchAsync);

    static async Task LaunchAndWatchAsync(IPage page, string baseUrl)
    {
        // MudBlazor puts user attributes on the <input> itself.
        await page.GotoAsync(baseUrl + "/experiments/new");
        // sft is the first method and tiny-cpu its default preset: the form opens ready to launch it
        await Assertions.Expect(page.Locator("input[data-testid=field-steps]")).ToHaveValueAsync(SftTinySteps.ToString());
        await page.Locator("input[data-testid=field-steps]").FillAsync(Steps.ToString());
        await page.Locator("input[data-testid=field-steps]").BlurAsync();
        await page.Locator("input[data-testid=name]").FillAsync("browser-run");
        await page.Locator("input[data-testid=name]").BlurAsync();
        await page.Locator("textarea[data-testid=launch-notes]").FillAsync("first look at the loss");
        await page.Locator("textarea[data-testid=launch-notes]").BlurAsync();
        await page.Locator("[data-testid=launch]").ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/experiments/\\d+$")); // polls: Blazor navigates in-page
        await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToHaveTextAsync("browser-run");
        await Assertions.Expect(page.Locator("textarea[data-testid=notes]")).ToHaveValueAsync("first look at the loss");
        var chart = page.Locator("[data-testid='chart-train/loss']");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", new System.Text.RegularExpressions.Regex("^[1-9]"));
        await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 180_000 });
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", Steps.ToString());   // history + live tail, deduped, nothing dropped
        await Assertions.Expect(page.Locator("[data-testid='chart-eval/accuracy']")).ToHaveAttributeAsync("data-points", "2");
        await Assertions.Expect(chart.Locator("canvas")).ToHaveCountAsync(1);
        await ScreenshotAsync(page, "experiment-page.png");

        // Samples: across all steps, only eval answers to `rev` instructions that were wrong
        await page.GetByRole(AriaRole.Tab, new() { Name = "Samples" }).ClickAsync();
        await page.Locator("[data-testid=sample-all-steps]").ClickAsync();
        await page.Locator("input[data-testid=sample-search]").FillAsync("rev ");
        var rows = page.Locator("[data-testid=samples] tbody tr");
        await Assertions.Expect(rows.Filter(new() { HasNotText = "rev " })).ToHaveCountAsync(0);
        await Assertions.Expect(rows.Filter(new() { HasText = "rev " })).Not.ToHaveCountAsync(0);
        Assert.Contains(await rows.AllInnerTextsAsync(), t => t.StartsWith("200"));   // step 200 is there: not just the last step
        await page.Locator("[data-testid=sample-wrong-only]").ClickAsync();
        await Assertions.Expect(rows.First).ToContainTextAsync(new System.Text.RegularExpressions.Regex("✗ wrong|No sample matches"));

        // Export → Metrics (CSV) downloads every point of the run
        await page.Locator("[data-testid=export]").ClickAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("[data-testid=export-metrics]").ClickAsync());
        Assert.Matches("^experiment-\\d+-metrics\\.csv$", download.SuggestedFilename);
        var csv = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal("step,name,value,time", csv[0]);
        Assert.Equal(Steps, csv.Count(l => l.Split(',')[1] == "train/loss"));

        // Clone prefills the form from the record; the list shows the finished run.
        await page.Locator("[data-testid=clone]").ClickAsync();
        await Assertions.Expect(page.Locator("input[data-testid=name]")).ToHaveValueAsync("browser-run (clone)");
        await Assertions.Expect(page.Locator("input[data-testid=field-steps]")).ToHaveValueAsync(Steps.ToString());
        await page.Locator("[data-testid=nav-experiments]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=experiments-grid]")).ToContainTextAsync("browser-run");
        await Assertions.Expect(page.Locator("[data-testid^=status-]").First).ToHaveTextAsync("Succeeded");
    }
}
