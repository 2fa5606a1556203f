// In Debian's Chromium, on a run seeded with self-play samples and verdicts (no training): the Self-play tab lists the
// challenger queries with their answers; the Evaluation tab shows win rates, browses verdicts and saves a review, by
// button or by keyboard; a review the database refuses (locked) keeps its comment, stays put and saves on the next try.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Review;

public sealed class EvaluationBrowserTests() : BrowserTest()
{


    Task<long> SeedAsync() => Lab.SeedRunAsync("seeded-lsp", "lsp", steps: 10, rows: (db, run) =>
    {
        db.Samples.AddRange(
            new Sample { ExperimentId = run, Step = 10, Role = "challenger", Prompt = "add", Completion = "2+3=", Reward = 0.5, Correct = true,
                ExtraJson = """{"query":0,"task":"add","category":"add","value":0.25,"quality_value":null,"advantage":-0.5}""" },
            new Sample { ExperimentId = run, Step = 10, Role = "solver", Prompt = "2+3=", Completion = "five-answer", Reward = 1, Correct = true,
                ExtraJson = """{"query":0,"answer":0,"quality":null,"advantage":0.5,"stopped":true}""" });
        db.MetricPoints.Add(new MetricPoint { ExperimentId = run, Step = 10, Name = "challenger/family/add", Value = 1, Time = DateTimeOffset.UtcNow });
        // W=1 T=1 L=1 → (1 + 0.5) / 3 = 50.0%
        db.Verdicts.AddRange(new[] { "win", "tie", "loss" }.Select(o => new Verdict
        {
            ExperimentId = run, Step = 10, Split = "add", Prompt = $"prompt-{o}", TrainedAnswer = $"trained-{o}", BaseAnswer = $"base-{o}",
            TrainedShownFirst = o != "loss", Judge = "exact", Outcome = o, Rationale = $"because {o}",
        }));
    });

    [Fact]
    public async Task Self_play_and_evaluation_tabs_show_the_run_and_save_a_review()
    {
        long id = 0;
        await InBrowserAsync("evaluation", (page, baseUrl) => BrowseAsync(page, $"{baseUrl}/experiments/{id}"),
            seed: async () => id = await SeedAsync());

        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var reviewed = await db.Verdicts.SingleAsync(v => v.Outcome == "loss");
        Assert.Equal((ReviewStatus.Disagree, "base is wrong"), (reviewed.ReviewStatus!.Value, reviewed.ReviewComment));
    }

    [Fact]
    public async Task A_reviewer_moves_and_reviews_with_the_keyboard()
    {
        long id = 0;
        await InBrowserAsync("review-keys", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            var detail = page.Locator("[data-testid=verdict-detail]");
            await page.Locator("[data-testid=verdict-list]").GetByText("prompt-win").ClickAsync();
            await Assertions.Expect(detail).ToContainTextAsync("prompt-win");

            // typed faster than the page renders, every key still counts, in order
            foreach (var k in new[] { "j", "j", "k", "j", "k", "k", "ArrowDown", "j" }) await page.Keyboard.PressAsync(k);
            await Assertions.Expect(detail).ToContainTextAsync("prompt-loss");
            foreach (var k in new[] { "k", "ArrowUp" }) await page.Keyboard.PressAsync(k);
            await Assertions.Expect(detail).ToContainTextAsync("prompt-win");

            await page.Keyboard.PressAsync("a");                                   // agree, and on to the next
            await Assertions.Expect(detail).ToContainTextAsync("prompt-tie");
            await page.Keyboard.PressAsync("k");
            await Assertions.Expect(detail).ToContainTextAsync("prompt-win");
            await Assertions.Expect(page.Locator("[data-testid=review-status]")).ToHaveTextAsync("agree");
            await page.Keyboard.PressAsync("ArrowDown");
            await Assertions.Expect(detail).ToContainTextAsync("prompt-tie");
            await page.Keyboard.PressAsync("j");
            await Assertions.Expect(detail).ToContainTextAsync("prompt-loss");

            // letters typed into the comment are text, not reviews
            await page.Locator("textarea[data-testid=review-comment]").FillAsync("");
            await page.Locator("textarea[data-testid=review-comment]").PressSequentiallyAsync("dud");
            await Assertions.Expect(page.Locator("[data-testid=review-status]")).ToHaveTextAsync("unreviewed");
            await page.Locator("textarea[data-testid=review-comment]").BlurAsync();
            await page.Locator("[data-testid=verdict-browser]").FocusAsync();
            await page.Keyboard.PressAsync("u");                                   // the last one: stays on it
            await Assertions.Expect(page.Locator("[data-testid=review-status]")).ToHaveTextAsync("unsure");
            // agree 1, unsure 1: unsure is not counted → 100% of 1 decided
            await Assertions.Expect(page.Locator("[data-testid=agreement]")).ToContainTextAsync("100% of 1 decided");
            await Assertions.Expect(page.Locator("[data-testid=agreement]")).ToContainTextAsync("agree 1 · disagree 0 · unsure 1");
        }, seed: async () => id = await SeedAsync());

        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var reviews = await db.Verdicts.OrderBy(v => v.Id).Select(v => new { v.Outcome, v.ReviewStatus, v.ReviewComment }).ToListAsync();
        Assert.Equal([("win", (ReviewStatus?)ReviewStatus.Agree), ("tie", null), ("loss", ReviewStatus.Unsure)], reviews.Select(r => (r.Outcome, r.ReviewStatus)));
        Assert.Equal("dud", reviews[2].ReviewComment);
    }

    [Fact]
    public async Task A_review_the_database_refuses_keeps_its_comment_and_saves_later()
    {
        Lab.Settings["WebLab:DatabaseTimeoutSeconds"] = "1";
        long id = 0;
        await InBrowserAsync("review-locked", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            await page.Locator("[data-testid=verdict-list]").GetByText("prompt-tie").ClickAsync();
            var comment = page.Locator("textarea[data-testid=review-comment]");
            await comment.FillAsync("both wrong, really");
            await comment.BlurAsync();

            // another connection holds SQLite's write lock: the review fails after the 1 s timeout, by button and by key
            await using (await DatabaseLock.TakeAsync(Lab.Services.GetRequiredService<LabPaths>().Database))
            {
                await page.Locator("[data-testid=review-disagree]").ClickAsync();
                await Assertions.Expect(page.Locator("[data-testid=review-error]")).ToContainTextAsync("review not saved");
                await page.Locator("[data-testid=verdict-browser]").FocusAsync();
                await page.Keyboard.PressAsync("d");
                await Assertions.Expect(page.Locator("[data-testid=review-status]")).ToHaveTextAsync("unreviewed");
                await Assertions.Expect(page.Locator("[data-testid=verdict-detail]")).ToContainTextAsync("prompt-tie");   // a failed review does not move on
                await Assertions.Expect(comment).ToHaveValueAsync("both wrong, really");
            }

            await page.Locator("[data-testid=review-disagree]").ClickAsync();
            // saved, so the button moved on to the next verdict, as the key does
            await Assertions.Expect(page.Locator("[data-testid=verdict-detail]")).ToContainTextAsync("prompt-loss");
            await Assertions.Expect(page.Locator("[data-testid=verdict-list]")).ToContainTextAsync("tie · add · disagree");
            await Assertions.Expect(page.Locator("[data-testid=review-error]")).ToHaveCountAsync(0);
        }, seed: async () => id = await SeedAsync());

        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var tie = await db.Verdicts.SingleAsync(v => v.Outcome == "tie");
        Assert.Equal((ReviewStatus.Disagree, "both wrong, really"), (tie.ReviewStatus!.Value, tie.ReviewComment));
    }

    [Fact]
    public async Task A_reviewers_queue_puts_wins_and_losses_before_ties_shows_progress_and_guidelines()
    {
        long id = 0;
        await InBrowserAsync("review-queue", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
            var items = page.Locator("[data-testid=verdict-list] .mud-list-item");
            await Assertions.Expect(items).ToHaveCountAsync(3);
            await Assertions.Expect(items.Nth(1)).ToContainTextAsync("tie");                   // step order: win, tie, loss
            await Assertions.Expect(page.Locator("[data-testid=review-guidelines]")).ToContainTextAsync("Judge the verdict, not the model");
            await Assertions.Expect(page.Locator("[data-testid=review-progress]")).ToContainTextAsync("0 of 3 reviewed");

            await page.Locator("input[data-testid=queue-order]").CheckAsync();
            await Assertions.Expect(items.Nth(0)).ToContainTextAsync("win");                   // queue order: win, loss, then the tie
            await Assertions.Expect(items.Nth(1)).ToContainTextAsync("loss");
            await Assertions.Expect(items.Nth(2)).ToContainTextAsync("tie");

            await items.Nth(0).ClickAsync();
            await page.Locator("[data-testid=review-agree]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=review-progress]")).ToContainTextAsync("1 of 3 reviewed");
            await Assertions.Expect(items.Nth(0)).ToContainTextAsync("win · add · agree");       // the order stays put under the reviewer
        }, seed: async () => id = await SeedAsync());
    }

    /// <summary>True once no MudBlazor ripple is left in the page (its script removes each ~0.9 s after the click) and no
    /// finite CSS animation or transition (a hover fading out) still runs.</summary>
    const string Settled = """
        () => document.querySelectorAll('.mud-ripple-effect').length === 0
           && document.getAnimations().every(a => a.playState !== 'running' || a.effect?.getComputedTiming().endTime === Infinity)
        """;

    static async Task BrowseAsync(IPage page, string url)
    {
        await page.GotoAsync(url);
        await Assertions.Expect(page.Locator("[data-testid=progress-text]")).ToHaveTextAsync("step 10 / 10");  // finished: no time left shown
        await page.GetByRole(AriaRole.Tab, new() { Name = "Self-play" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=selfplay-queries]")).ToContainTextAsync("2+3=");
        await page.Locator("[data-testid=selfplay-expand-0]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=selfplay-answers-0]")).ToContainTextAsync("five-answer");
        await Assertions.Expect(page.Locator("[data-testid=chart-families]")).ToHaveAttributeAsync("data-points", "1");
        await ScreenshotAsync(page, "selfplay-tab.png");

        await page.GetByRole(AriaRole.Tab, new() { Name = "Evaluation" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=winrate-table]")).ToContainTextAsync("50.0% (1/1/1)");
        await page.Locator("[data-testid=verdict-list]").GetByText("prompt-loss").ClickAsync();
        var detail = page.Locator("[data-testid=verdict-detail]");
        await Assertions.Expect(detail).ToContainTextAsync("because loss");
        await Assertions.Expect(detail).ToContainTextAsync("A (shown first): base");
        await page.Locator("textarea[data-testid=review-comment]").FillAsync("base is wrong");
        await page.Locator("textarea[data-testid=review-comment]").BlurAsync();
        await page.Locator("[data-testid=review-disagree]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=review-status]")).ToHaveTextAsync("disagree");
        await Assertions.Expect(page.Locator("[data-testid=agreement]")).ToContainTextAsync("0% of 1 decided");
        await page.Mouse.MoveAsync(0, 0);                                       // no hover or ripple over the buttons in the picture:
        await Poll.UntilAsync(() => page.EvaluateAsync<bool>(Settled), "the ripples and hover transitions settled");
        await ScreenshotAsync(page, "evaluation-tab.png");
    }
}
