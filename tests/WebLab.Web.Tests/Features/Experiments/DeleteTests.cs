// Deleting a run: refused while it is queued or running and while a follow-on run starts from it; otherwise its rows and
// its folder go, and nothing of another run is touched. In Chromium the page asks first, and Keep it keeps it.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Web.Data;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class DeleteTests : LabTest
{
    [Fact]
    public async Task A_finished_run_is_deleted_whole_unless_it_runs_or_has_children()
    {
        var running = await Http.LaunchAsync(TestMethods.Long());
        await Http.WaitForStatusAsync(running, "Running");
        var refused = await Http.DeleteAsync($"/api/experiments/{running}");
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("cancel it first", await refused.Content.ReadAsStringAsync());
        await Http.PostAsync($"/api/experiments/{running}/cancel", null);
        await Http.WaitForStatusAsync(running, "Cancelled");

        var parent = await Http.LaunchAsync(TestMethods.Quick());
        await Http.WaitForStatusAsync(parent, "Succeeded");
        var child = await Http.LaunchAsync(parentExperimentId: parent);
        await Http.WaitForStatusAsync(child, "Succeeded");
        var hasChild = await Http.DeleteAsync($"/api/experiments/{parent}");
        Assert.Equal(HttpStatusCode.Conflict, hasChild.StatusCode);
        Assert.Contains($"parent of #{child}", await hasChild.Content.ReadAsStringAsync());

        var folder = Lab.Services.GetRequiredService<LabPaths>().RunDirectory(child);
        Assert.True(Directory.Exists(folder));
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/experiments/{child}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/experiments/{child}")).StatusCode);
        Assert.False(Directory.Exists(folder));
        await using (var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
        {
            Assert.Equal(0, await db.MetricPoints.CountAsync(m => m.ExperimentId == child));
            Assert.Equal(0, await db.Samples.CountAsync(s => s.ExperimentId == child));
            Assert.Equal(0, await db.Verdicts.CountAsync(v => v.ExperimentId == child));
            Assert.Equal(0, await db.Checkpoints.CountAsync(c => c.ExperimentId == child));
            Assert.Equal(20, await db.MetricPoints.CountAsync(m => m.ExperimentId == parent));   // the others untouched
        }
        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/experiments/{parent}")).StatusCode);  // no child now
        Assert.Equal(HttpStatusCode.NotFound, (await Http.DeleteAsync($"/api/experiments/{parent}")).StatusCode);
    }
}

public sealed class DeleteButtonTests() : BrowserTest()
{


    [Fact]
    public Task The_page_asks_before_deleting_and_keeps_the_run_when_told_to() =>
        InBrowserAsync("delete", async (page, baseUrl) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var id = await http.LaunchAsync(TestMethods.Quick(), name: "doomed-run");
            await http.WaitForStatusAsync(id, "Succeeded");
            await page.GotoAsync($"{baseUrl}/experiments/{id}");

            await page.Locator("[data-testid=delete]").ClickAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Keep it" }).ClickAsync();
            Assert.Equal(HttpStatusCode.OK, (await http.GetAsync($"/api/experiments/{id}")).StatusCode);

            await page.Locator("[data-testid=delete]").ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Dialog)).ToContainTextAsync("This cannot be undone");
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=experiments-grid]")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("[data-testid=experiments-grid]")).Not.ToContainTextAsync("doomed-run");
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"/api/experiments/{id}")).StatusCode);
        });
}
