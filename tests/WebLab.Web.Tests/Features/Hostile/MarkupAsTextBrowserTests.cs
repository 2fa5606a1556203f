// Text that models, judges and people wrote is shown as text everywhere, never run as HTML: a run whose name, notes,
// samples, verdict rationale and reviewer name are all `<img src=x onerror=alert(1)>` opens in Chromium on every tab,
// in the runs list and on Compare with the markup visible as characters, no such element in the page and no dialog.
using Microsoft.Playwright;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Hostile;

public sealed class MarkupAsTextBrowserTests() : BrowserTest()
{
    const string Script = "<img src=x onerror=alert(1)>";

    [Fact]
    public async Task Markup_in_samples_names_notes_and_reviews_is_displayed_as_text()
    {
        long id = 0;
        await InBrowserAsync("markup-as-text", async (page, baseUrl) =>
        {
            var dialogs = new List<string>();
            page.Dialog += async (_, d) => { dialogs.Add(d.Message); await d.DismissAsync(); };
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToHaveTextAsync(Script);
            await Assertions.Expect(page.Locator("textarea[data-testid=notes]")).ToHaveValueAsync(Script);

            await page.GetByRole(AriaRole.Tab, new() { Name = "Samples" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=samples]")).ToContainTextAsync(Script);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Self-play" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=selfplay-queries]")).ToContainTextAsync(Script);
            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            await page.Locator("[data-testid=verdict-list] .mud-list-item").First.ClickAsync();
            var detail = page.Locator("[data-testid=verdict-detail]");
            await Assertions.Expect(detail).ToContainTextAsync("because " + Script);
            await Assertions.Expect(page.Locator("[data-testid=review-history]")).ToContainTextAsync(Script);   // the reviewer's name
            await Assertions.Expect(page.Locator("img[src=x]")).ToHaveCountAsync(0);

            await page.GotoAsync($"{baseUrl}/experiments");
            await Assertions.Expect(page.Locator("[data-testid=experiments-grid]")).ToContainTextAsync(Script);
            await page.GotoAsync($"{baseUrl}/compare?ids={id}");
            await Assertions.Expect(page.Locator("body")).ToContainTextAsync(Script);
            await Assertions.Expect(page.Locator("img[src=x]")).ToHaveCountAsync(0);
            Assert.Empty(dialogs);
            await ScreenshotAsync(page, "markup-as-text.png");
        }, seed: async () => id = await Lab.SeedRunAsync(Script, "lsp", steps: 10, rows: (db, run) =>
        {
            db.Experiments.Find(run)!.Notes = Script;
            db.Samples.AddRange(
                new Sample { ExperimentId = run, Step = 10, Role = "challenger", Prompt = Script, Completion = Script, Reward = 0.5, Correct = true,
                    ExtraJson = """{"query":0,"task":"add","category":"add","value":0.25,"quality_value":null,"advantage":-0.5}""" },
                new Sample { ExperimentId = run, Step = 10, Role = "solver", Prompt = Script, Completion = Script, Reward = 1, Correct = true,
                    ExtraJson = """{"query":0,"answer":0,"quality":null,"advantage":0.5,"stopped":true,"expected":"<b>x</b>"}""" });
            db.MetricPoints.Add(new MetricPoint { ExperimentId = run, Step = 10, Name = "train/loss", Value = 1, Time = DateTimeOffset.UtcNow });
            db.SaveChanges();
            var verdict = new Verdict
            {
                ExperimentId = run, Step = 10, Split = "add", Prompt = Script, TrainedAnswer = Script, BaseAnswer = Script, Judge = Script,
                Outcome = "tie", Rationale = "because " + Script, Expected = Script,
            };
            db.Verdicts.Add(verdict);
            db.SaveChanges();
            db.ReviewEvents.Add(new ReviewEvent { ExperimentId = run, Target = ReviewEvent.VerdictTarget, TargetId = verdict.Id, Reviewer = Script, Status = ReviewStatus.Agree, Comment = Script, At = DateTimeOffset.UtcNow });
        }));
    }
}
