// In Debian's Chromium: the run page's tabs are the method's, in one order, whatever the run has recorded yet (an lsp
// run with no samples and no verdicts already has Self-play and Evaluation); a failed run opens on its Error tab, its
// error in words above the full text; the runs list shows each run's duration and a failed run's error in words.
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class RunPageTabsBrowserTests() : BrowserTest(MethodCatalog.Default)
{
    const string Error = "System.ArgumentException: the chat domain needs the model option: the policy's Hugging Face folder\n"
        + "   at WebLab.Training.Domains.Chat.ChatDomain.Need(String value)\n   at WebLab.Training.Methods.Common.RlRun.Start(…)";
    long running, failed;

    async Task SeedAsync()
    {
        var t0 = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        running = await Lab.SeedRunAsync("lsp, nothing recorded yet", "lsp", 300, (db, id) =>
        {
            var e = db.Experiments.Single(x => x.Id == id);
            (e.Status, e.StartedAt, e.Step) = (ExperimentStatus.Running, DateTimeOffset.UtcNow, 0);
        });
        failed = await Lab.SeedRunAsync("lsp that failed", "lsp", 300, (db, id) =>
        {
            var e = db.Experiments.Single(x => x.Id == id);
            (e.Status, e.StartedAt, e.FinishedAt, e.Error) = (ExperimentStatus.Failed, t0, t0.AddSeconds(95), Error);
        });
    }

    static async Task<string[]> TabsAsync(IPage page) =>
        [.. (await page.Locator(".mud-tabs-tabbar .mud-tab").AllTextContentsAsync()).Select(t => t.Trim())];

    [Fact]
    public Task Tabs_are_the_methods_and_a_failed_run_opens_on_its_error() =>
        InBrowserAsync("run-tabs", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{running}");
            await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToBeVisibleAsync();
            Assert.Equal(["Charts", "Samples", "Self-play", "Evaluation", "Config", "Checkpoints"], await TabsAsync(page));

            await page.GotoAsync($"{baseUrl}/experiments/{failed}");
            await Assertions.Expect(page.Locator("[data-testid=error-summary]")).ToBeVisibleAsync();      // the Error tab is open
            await Assertions.Expect(page.Locator("[data-testid=error-summary]"))
                .ToHaveTextAsync("the chat domain needs the model option: the policy's Hugging Face folder");
            await Assertions.Expect(page.Locator("[data-testid=error]")).ToContainTextAsync("at WebLab.Training.Methods.Common.RlRun.Start");
            Assert.Equal(["Charts", "Samples", "Self-play", "Evaluation", "Config", "Checkpoints", "Error"], await TabsAsync(page));
            await ScreenshotAsync(page, "run-failed.png");

            await page.GotoAsync($"{baseUrl}/");
            await Assertions.Expect(page.Locator($"[data-testid=error-summary-{failed}]")).ToHaveTextAsync("the chat domain needs the model option: the policy's Hugging Face folder");
            await Assertions.Expect(page.Locator($"[data-testid=duration-{failed}]")).ToHaveTextAsync("1m 35s");
            await Assertions.Expect(page.Locator($"[data-testid=duration-{running}]")).ToContainTextAsync("…");
            await ScreenshotAsync(page, "runs-list.png");
        }, seed: SeedAsync);

    [Theory]
    [InlineData("System.ArgumentException: the chat domain needs X\n   at A.B()", "the chat domain needs X")]
    [InlineData("WebLab.Training.Judges.JudgeFailedException: the judge failed 4 times", "the judge failed 4 times")]
    [InlineData("System.IO.FileNotFoundException (0x80070002): no such file", "no such file")]
    [InlineData("worker process exited with code 134 (SIGABRT); Resume continues it", "worker process exited with code 134 (SIGABRT); Resume continues it")]
    [InlineData("", "")]
    public void Errors_are_summarised_as_their_message(string error, string summary) => Assert.Equal(summary, RunErrors.Summary(error));

    [Fact]
    public void Durations_read_as_people_say_them()
    {
        var t0 = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        Assert.Equal("1m 35s", WebLab.Web.Components.Shared.Format.Duration(t0, t0.AddSeconds(95), active: false));
        Assert.Equal("2h 01m …", WebLab.Web.Components.Shared.Format.Duration(t0, null, active: true, now: t0.AddMinutes(121)));
        Assert.Equal("", WebLab.Web.Components.Shared.Format.Duration(null, null, active: true));
    }
}
