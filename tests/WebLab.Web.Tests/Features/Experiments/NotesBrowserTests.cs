// In Debian's Chromium: a run is renamed in place (Enter saves, a blank name is refused and stays in the box) and its
// notes are saved from the page; both are in the database and come back on reload; the list finds the run by its notes.
// Notes that cannot be saved (the database is locked) stay in the box with the reason and save once it frees.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class NotesBrowserTests() : BrowserTest()
{
    long id;

    async Task SeedAsync() => id = await Lab.SeedRunAsync("untitled");

    async Task<Experiment> RowAsync()
    {
        await using var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        return await db.Experiments.AsNoTracking().SingleAsync(e => e.Id == id);
    }

    [Fact]
    public Task A_run_is_renamed_and_annotated_from_its_page() =>
        InBrowserAsync("notes", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.Locator("[data-testid=rename]").ClickAsync();
            var name = page.Locator("input[data-testid=name-input]");
            await name.FillAsync("   ");
            await page.Locator("[data-testid=name-save]").ClickAsync();
            await Assertions.Expect(page.GetByText("a name cannot be empty")).ToBeVisibleAsync();
            await name.FillAsync("kl sweep, beta 0.1");
            await name.PressAsync("Enter");
            await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToHaveTextAsync("kl sweep, beta 0.1");

            var notes = page.Locator("textarea[data-testid=notes]");
            await notes.FillAsync("valid_frac holds at 0.97");
            await page.Locator("[data-testid=notes-save]").ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=notes-save]")).ToHaveCountAsync(0);   // saved: nothing left to save
            Assert.Equal(("kl sweep, beta 0.1", "valid_frac holds at 0.97"), ((await RowAsync()).Name, (await RowAsync()).Notes));

            await ScreenshotAsync(page, "notes.png");
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToHaveTextAsync("kl sweep, beta 0.1");
            await Assertions.Expect(page.Locator("textarea[data-testid=notes]")).ToHaveValueAsync("valid_frac holds at 0.97");

            await page.GotoAsync($"{baseUrl}/");
            await page.Locator("input[data-testid=search]").FillAsync("holds at");
            await Assertions.Expect(page.GetByText("kl sweep, beta 0.1")).ToBeVisibleAsync();
            await ScreenshotAsync(page, "notes-search.png");
            await page.Locator("input[data-testid=search]").FillAsync("not in any note");
            await Assertions.Expect(page.GetByText("kl sweep, beta 0.1")).ToHaveCountAsync(0);
        }, seed: SeedAsync);

    [Fact]
    public Task Notes_that_cannot_be_saved_stay_in_the_box_and_save_later()
    {
        Lab.Settings["WebLab:DatabaseTimeoutSeconds"] = "1";
        return InBrowserAsync("notes-locked", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            var notes = page.Locator("textarea[data-testid=notes]");
            await notes.FillAsync("written while a backup holds the database");

            // another connection takes SQLite's write lock: the save fails after the 1 s timeout
            await using (await DatabaseLock.TakeAsync(Lab.Services.GetRequiredService<LabPaths>().Database))
            {
                await page.Locator("[data-testid=notes-save]").ClickAsync();
                await Assertions.Expect(page.GetByText("not saved")).ToBeVisibleAsync();
                await Assertions.Expect(notes).ToHaveValueAsync("written while a backup holds the database");
            }

            await page.Locator("[data-testid=notes-save]").ClickAsync();         // the lock is gone: the same text saves
            await Assertions.Expect(page.Locator("[data-testid=notes-save]")).ToHaveCountAsync(0);
            Assert.Equal("written while a backup holds the database", (await RowAsync()).Notes);
        }, seed: SeedAsync);
    }
}
