// In Debian's Chromium: the results view groups the seeded runs across seeds, shows the pooled sign test, and its
// Markdown export is the API's.
using Microsoft.Playwright;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.RunGroups;

public sealed class ResultsPageTests() : BrowserTest()
{
    [Fact]
    public Task The_results_view_groups_runs_across_seeds_and_exports_the_table() =>
        InBrowserAsync("results", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/results?tag=evidence");
            var rows = page.Locator("[data-testid=results-row]");
            await Assertions.Expect(rows).ToHaveCountAsync(2);
            var lsp = page.Locator("[data-testid=results-row][data-group='lsp · tinytasks-frontier · preset=tiny-cpu']");
            await Assertions.Expect(lsp.Locator("[data-testid=results-mean]")).ToHaveTextAsync("84.7%");
            await Assertions.Expect(lsp.Locator("[data-testid=results-pooled]")).ToHaveTextAsync("9 / 1 / 1");
            await Assertions.Expect(lsp.Locator("[data-testid=results-p]")).ToHaveTextAsync("0.021");
            await Assertions.Expect(lsp).ToContainTextAsync("3 / 1 / 0, 87.5%");

            var href = await page.Locator("[data-testid=results-markdown]").GetAttributeAsync("href");
            var md = await (await page.APIRequest.GetAsync(baseUrl.TrimEnd('/') + href)).TextAsync();
            Assert.Contains("| 9 / 1 / 1 | 0.021 |", md);

            // without the tag, the untagged run joins the lsp group as a fourth seed
            await page.GotoAsync($"{baseUrl}/results");
            await Assertions.Expect(lsp.Locator("[data-testid=results-pooled]")).ToHaveTextAsync("9 / 1 / 10");
            await ScreenshotAsync(page, "results.png");
        }, seed: () => ResultsSeed.SeedAsync(Lab));
}
