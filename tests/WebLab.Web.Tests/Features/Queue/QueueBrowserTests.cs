// In Debian's Chromium (issue 27, defect 10): with one CPU worker and a long run going, three more runs wait; the runs
// list and the Queue page show their positions 1–3 and expected starts (from the running run's pace and the length of a
// like run that finished); an Admin moves the third to the front, and it is the one that starts when the worker frees.
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Queue;

public sealed class QueueBrowserTests : BrowserTest
{
    public QueueBrowserTests() => Lab.Settings["WebLab:Workers:Cpu"] = "1";

    [Fact]
    public Task Three_waiting_runs_show_positions_and_starts_and_a_reorder_changes_what_starts_next() =>
        InBrowserAsync("queue", async (page, baseUrl) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            // a like run that finished gives the waiting ones their estimated length
            var done = await http.LaunchAsync(TestMethods.Quick(steps: 30, stepDelayMs: 10), name: "finished like run");
            await http.WaitForStatusAsync(done, "Succeeded");
            var running = await http.LaunchAsync(new JsonObject { ["steps"] = 3000, ["stepDelayMs"] = 20 }, name: "long run");
            await http.WaitForAsync(running, e => (string?)e["status"] == "Running" && (long)e["step"]! > 5);
            long[] waiting = [
                await http.LaunchAsync(TestMethods.Quick(steps: 30, stepDelayMs: 10), name: "first"),
                await http.LaunchAsync(TestMethods.Quick(steps: 30, stepDelayMs: 10), name: "second"),
                await http.LaunchAsync(TestMethods.Quick(steps: 30, stepDelayMs: 10), name: "third")];

            var queue = (await http.GetFromJsonAsync<JsonArray>("/api/queue"))!;
            Assert.Equal(waiting, queue.Select(q => (long)q!["id"]!));
            Assert.Equal([1, 2, 3], queue.Select(q => (int)q!["position"]!));
            var starts = queue.Select(q => (double)q!["startsInSeconds"]!).ToList();
            Assert.True(starts[0] > 0 && starts[0] < starts[1] && starts[1] < starts[2], string.Join(", ", starts));   // one after another

            await page.GotoAsync(baseUrl + "/");
            await Assertions.Expect(page.Locator($"[data-testid=queue-{waiting[1]}]")).ToContainTextAsync("queued #2 on cpu · starts in about");
            await page.GotoAsync(baseUrl + "/queue");
            var rows = page.Locator("[data-testid=queue-row]");
            await Assertions.Expect(rows).ToHaveCountAsync(3);
            await Assertions.Expect(rows.Nth(2).Locator("[data-testid=queue-start]")).ToContainTextAsync("in about");
            await page.Locator($"[data-testid=queue-front-{waiting[2]}]").ClickAsync();
            await Assertions.Expect(rows.First).ToHaveAttributeAsync("data-id", waiting[2].ToString());
            await ScreenshotAsync(page, "queue.png");

            // the worker frees: the third launched, now first, is what starts
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await http.PostAsync($"/api/experiments/{running}/cancel", null)).StatusCode);
            await http.WaitForStatusAsync(waiting[2], "Succeeded", seconds: 60);
            var first = await http.ExperimentAsync(waiting[0]);
            var third = await http.ExperimentAsync(waiting[2]);
            // the first-launched one waited: not started yet, or started only after the third had finished
            Assert.True(first["startedAt"] is null || DateTimeOffset.Parse((string)first["startedAt"]!) >= DateTimeOffset.Parse((string)third["finishedAt"]!),
                "the run that was first started before the one moved to the front had finished");
        });
}
