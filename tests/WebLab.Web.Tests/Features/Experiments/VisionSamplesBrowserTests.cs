// In Debian's Chromium: the Samples tab of a vision-sr1 run shows, beside each see-think evaluation's description, the
// exact oracle's verdict and the start-model judge's (with what it answered), and a missing description as insufficient
// to both without asking the judge.
using Microsoft.Playwright;
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class VisionSamplesBrowserTests() : BrowserTest(MethodCatalog.Default)
{
    long run;

    static readonly string Image = WebLab.Training.Domains.TinyScenes.SceneCode.Source(new WebLab.Training.Domains.TinyScenes.Scene(
        [new(WebLab.Training.Domains.TinyScenes.SceneShape.Circle, WebLab.Training.Domains.TinyScenes.SceneColor.Red, WebLab.Training.Domains.TinyScenes.SceneSize.Big, 0, 0)]));

    async Task SeedAsync() =>
        run = await Lab.SeedRunAsync("vision-sr1 seeded", "vision-sr1", 10, (db, id) =>
        {
            Sample Eval(string question, string? description, bool correct, string? judge, bool oracle, bool start) => new()
            {
                ExperimentId = id, Step = 10, Role = SampleRoles.Eval, Prompt = question, Completion = "answer", Correct = correct, Reward = correct ? 1 : 0,
                ExtraJson = SampleExtras.Write(new VisualEvalExtra("count", "2", Image, description, "top left: big red circle.", judge,
                    Shortcut: correct && !oracle) { OracleSufficient = oracle, StartModelSufficient = start }),
            };
            db.Samples.AddRange(
                Eval("how many circles?", "2.", correct: true, judge: "<think> two. </think> \\boxed{2}", oracle: false, start: true),
                Eval("how many squares?", null, correct: true, judge: null, oracle: false, start: false));
        });

    [Fact]
    public Task The_samples_tab_shows_the_oracles_verdict_beside_the_start_model_judges() =>
        InBrowserAsync("vision-samples", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{run}");
            await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToBeVisibleAsync();
            // a click before the page's circuit is live does nothing: click until the tab shows (bounded by the poll)
            var judges = page.Locator("[data-testid=sample-judges]");
            await Poll.UntilAsync(async () =>
            {
                await page.GetByRole(AriaRole.Tab, new() { Name = "Samples" }).ClickAsync();
                return await judges.First.IsVisibleAsync();
            }, "the Samples tab to show the judges' verdicts");
            await Assertions.Expect(judges).ToHaveCountAsync(2);
            await Assertions.Expect(judges.Nth(0)).ToHaveTextAsync("oracle: insufficient · start-model judge: sufficient (it answered <think> two. </think> \\boxed{2})");
            await Assertions.Expect(judges.Nth(1)).ToHaveTextAsync("oracle: insufficient · start-model judge: insufficient (no description to read)");
            await Assertions.Expect(page.Locator("[data-testid=sample-description]").Nth(0)).ToContainTextAsync("SHORTCUT");
            await Assertions.Expect(page.Locator("[data-testid=sample-truth]").Nth(0)).ToHaveTextAsync("ground truth: top left: big red circle.");
            await ScreenshotAsync(page, "vision-samples.png");
        }, seed: SeedAsync);
}
