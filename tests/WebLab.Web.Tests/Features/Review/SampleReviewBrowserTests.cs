// In Debian's Chromium: a reviewer disagrees with a sample's reward from its row in the Samples tab, with a comment; the
// review is stored, the tab's Review filter finds it, and it is still there after a reload.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Review;

public sealed class SampleReviewBrowserTests() : BrowserTest()
{
    long run, right, wrong;

    async Task SeedAsync()
    {
        run = await Lab.SeedRunAsync("graded", steps: 5, rows: (db, id) => db.Samples.AddRange(
            new Sample { ExperimentId = id, Step = 5, Role = "eval", Prompt = "add 2 3", Completion = "5", Reward = 1, Correct = true },
            new Sample { ExperimentId = id, Step = 5, Role = "eval", Prompt = "rev abc", Completion = "cab", Reward = 0.33, Correct = false }));
        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        (right, wrong) = (await db.Samples.Where(s => s.Prompt == "add 2 3").Select(s => s.Id).SingleAsync(),
                          await db.Samples.Where(s => s.Prompt == "rev abc").Select(s => s.Id).SingleAsync());
    }

    [Fact]
    public Task A_sample_reward_is_reviewed_from_its_row_and_found_by_the_filter() =>
        InBrowserAsync("sample-review", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{run}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Samples" }).ClickAsync();
            var table = page.Locator("[data-testid=samples]");
            await Assertions.Expect(table).ToContainTextAsync("rev abc");

            await page.Locator($"input[data-testid=sample-comment-{wrong}]").FillAsync("cab has 2 of 3 letters placed: 0.33 is fair");
            await page.Locator($"input[data-testid=sample-comment-{wrong}]").BlurAsync();
            await page.Locator($"[data-testid=sample-agree-{wrong}]").ClickAsync();
            await page.Locator($"[data-testid=sample-disagree-{right}]").ClickAsync();
            await WaitForReviewAsync(right, ReviewStatus.Disagree);
            await Assertions.Expect(page.Locator("[data-testid=sample-agreement]")).ToContainTextAsync("50% of 2 decided samples");
            await using (var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
            {
                var graded = await db.Samples.AsNoTracking().SingleAsync(s => s.Id == wrong);
                Assert.Equal((ReviewStatus.Agree, "cab has 2 of 3 letters placed: 0.33 is fair"), (graded.ReviewStatus!.Value, graded.ReviewComment));
            }

            // the Review filter: only the disagreement
            await page.Locator("[data-testid=sample-review-filter]").ClickAsync();
            await page.GetByRole(AriaRole.Option, new() { Name = "disagree" }).ClickAsync();
            await Assertions.Expect(table).ToContainTextAsync("add 2 3");
            await Assertions.Expect(table).Not.ToContainTextAsync("rev abc");
            await ScreenshotAsync(page, "sample-review.png");

            await page.ReloadAsync();
            await page.GetByRole(AriaRole.Tab, new() { Name = "Samples" }).ClickAsync();
            await Assertions.Expect(page.Locator($"input[data-testid=sample-comment-{wrong}]")).ToHaveValueAsync("cab has 2 of 3 letters placed: 0.33 is fair");
        }, seed: SeedAsync);

    Task WaitForReviewAsync(long sampleId, ReviewStatus status) =>
        Poll.UntilAsync(async () =>
        {
            await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
            return (await db.Samples.AsNoTracking().SingleAsync(s => s.Id == sampleId)).ReviewStatus == status;
        }, $"sample {sampleId} reviewed {status}");
}
