// Review as it flows in Chromium: the reviewer types a name once (kept in the browser), each verdict shows the expected
// answer and whether each answer is right, a review by button moves on to the next verdict as the keys do, and a changed
// review keeps the earlier one in the verdict's history.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Review;

public sealed class ReviewFlowBrowserTests() : BrowserTest()
{
    Task<long> SeedAsync() => Lab.SeedRunAsync("graded-grpo", "grpo", steps: 10, rows: (db, run) =>
        db.Verdicts.AddRange(
            new Verdict { ExperimentId = run, Step = 10, Split = "rev", Prompt = "rev abcd", TrainedAnswer = "dcba", BaseAnswer = "dcab", TrainedShownFirst = true,
                Judge = "tinytasks-verifier", Outcome = "win", Rationale = "trained correct, base wrong (expected dcba)", Expected = "dcba", TrainedCorrect = true, BaseCorrect = false },
            new Verdict { ExperimentId = run, Step = 10, Split = "add", Prompt = "add 12 7", TrainedAnswer = "", BaseAnswer = "", TrainedShownFirst = false,
                Judge = "tinytasks-verifier", Outcome = "tie", Rationale = "identical answers, both wrong", Expected = "19", TrainedCorrect = false, BaseCorrect = false },
            new Verdict { ExperimentId = run, Step = 10, Split = "max", Prompt = "max 3 9 4", TrainedAnswer = "4", BaseAnswer = "9", TrainedShownFirst = false,
                Judge = "tinytasks-verifier", Outcome = "loss", Rationale = "trained wrong, base correct (expected 9)", Expected = "9", TrainedCorrect = false, BaseCorrect = true }));

    [Fact]
    public async Task A_review_by_button_advances_and_a_changed_review_keeps_its_history()
    {
        long id = 0;
        await InBrowserAsync("review-flow", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            await page.Locator("input[data-testid=reviewer-name]").FillAsync("ann");
            await page.Locator("input[data-testid=reviewer-name]").BlurAsync();

            var detail = page.Locator("[data-testid=verdict-detail]");
            await page.Locator("[data-testid=verdict-list]").GetByText("rev abcd").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=verdict-expected]")).ToHaveTextAsync("dcba");
            await Assertions.Expect(detail.Locator("[data-testid=answer-grade]")).ToHaveTextAsync(["right", "wrong"]);   // trained shown first

            await page.Locator("[data-testid=review-agree]").ClickAsync();
            await Assertions.Expect(detail).ToContainTextAsync("add 12 7");                     // moved on to the next verdict
            await Assertions.Expect(page.Locator("[data-testid=verdict-expected]")).ToHaveTextAsync("19");
            await Assertions.Expect(detail).ToContainTextAsync("(empty answer)");               // blanks are named, not blank
            await Assertions.Expect(detail).ToContainTextAsync("identical answers, both wrong");

            // back to the first and change the review: both stay in its history, the latest is its state
            await page.Locator("[data-testid=verdict-list]").GetByText("rev abcd").ClickAsync();
            var history = page.Locator("[data-testid=review-history] tbody tr");
            await Assertions.Expect(history).ToHaveCountAsync(1);
            await Assertions.Expect(history.First).ToContainTextAsync("ann");
            await page.Locator("[data-testid=review-disagree]").ClickAsync();
            await Assertions.Expect(detail).ToContainTextAsync("add 12 7");
            await page.Locator("[data-testid=verdict-list]").GetByText("rev abcd").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=review-status]")).ToHaveTextAsync("disagree");
            await Assertions.Expect(history).ToHaveCountAsync(2);
            await Assertions.Expect(history.Locator("td:nth-child(3)")).ToHaveTextAsync(["agree", "disagree"]);

            // the name was typed once: a new visit still knows it
            await page.ReloadAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            await Assertions.Expect(page.Locator("input[data-testid=reviewer-name]")).ToHaveValueAsync("ann");
            await page.Locator("[data-testid=verdict-list]").GetByText("max 3 9 4").ClickAsync();
            await page.Mouse.MoveAsync(0, 0);
            await ScreenshotAsync(page, "review-view.png");
        }, seed: async () => id = await SeedAsync());

        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var events = await db.ReviewEvents.OrderBy(r => r.Id).Select(r => new { r.Reviewer, r.Status }).ToListAsync();
        Assert.Equal([("ann", ReviewStatus.Agree), ("ann", ReviewStatus.Disagree)], events.Select(e => (e.Reviewer, e.Status)));
    }
}
