// Runs survive stops: a cancelled run and a run killed with the process both resume from their last saved state and
// finish with every step logged exactly once, the model carried over (the loss goes on from where it was, not from
// an untrained model's 3.7 nats). Resuming what cannot be resumed is a clear 404/409.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ResumeTests() : LabTest(MethodCatalog.Default)
{
    internal const int Steps = 400;

    /// <summary>The sft tiny-cpu preset, shortened to 400 steps and evaluated only at the end (its state is saved every 100).</summary>
    internal static JsonObject Short() => new() { ["steps"] = Steps, ["evalEvery"] = Steps, ["evalPerSplit"] = 4 };

    /// <summary>POST resume: 202 and the step it resumes after.</summary>
    internal static async Task<long> ResumeAsync(HttpClient http, long id)
    {
        var response = await http.PostAsync($"/api/experiments/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["resumedAfterStep"]!;
    }

    /// <summary>train/loss has steps 1..Steps once each, and the first step after <paramref name="k"/> continues the trained model.</summary>
    internal static async Task AssertWholeAsync(HttpClient http, long id, long k)
    {
        var loss = await http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss");
        Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), loss.Select(m => (long)m!["step"]!));
        double at(long step) => (double)loss[(int)step - 1]!["value"]!;
        Assert.True(at(1) > 3.0, $"untrained loss {at(1):F2}");
        Assert.True(at(k + 1) < at(1) - 1.0 && Math.Abs(at(k + 1) - at(k)) < 0.5, $"loss {at(k):F2} at step {k}, {at(k + 1):F2} after resuming, {at(1):F2} at step 1");
        // finished: the final checkpoint stays, the resumable state is gone
        var checkpoints = await http.ListAsync($"/api/experiments/{id}/checkpoints");
        Assert.Equal(["final"], checkpoints.Select(c => (string)c!["kind"]!));
    }

    [Fact]
    public async Task A_cancelled_run_resumes_from_its_state_and_logs_each_step_once()
    {
        var id = await Http.LaunchAsync(ResumeTests.Short(), method: "sft");
        await Http.WaitForAsync(id, e => (long)e["step"]! > 250, seconds: 300);
        Assert.Equal(HttpStatusCode.Accepted, (await Http.PostAsync($"/api/experiments/{id}/cancel", null)).StatusCode);
        var cancelled = await Http.WaitForStatusAsync(id, "Cancelled", seconds: 30);
        var stoppedAt = (long)cancelled["step"]!;

        var k = await ResumeAsync(Http, id);
        Assert.True(k >= 200 && k % 100 == 0 && k <= stoppedAt, $"resumed after {k}, stopped at {stoppedAt}");
        var conflict = await Http.PostAsync($"/api/experiments/{id}/resume", null);     // queued or running now
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
        await Http.WaitForStatusAsync(id, "Succeeded", seconds: 300);
        await AssertWholeAsync(Http, id, k);

        Assert.Equal(HttpStatusCode.Conflict, (await Http.PostAsync($"/api/experiments/{id}/resume", null)).StatusCode);  // finished
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsync("/api/experiments/999999/resume", null)).StatusCode);
    }

    [Fact]
    public async Task A_run_that_saved_no_state_says_so()
    {
        var id = await Http.LaunchAsync(new JsonObject { ["checkpointEvery"] = 0 }, method: "sft");
        await Http.WaitForAsync(id, e => (long)e["step"]! > 50, seconds: 300);
        await Http.PostAsync($"/api/experiments/{id}/cancel", null);
        await Http.WaitForStatusAsync(id, "Cancelled", seconds: 30);
        var response = await Http.PostAsync($"/api/experiments/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("saved no resumable state", await response.Content.ReadAsStringAsync());
    }
}

// A run killed with the lab and resumed after a restart: TenCrashesTests does it ten times in a row (and checks the
// crash error names the state to resume from).

public sealed class ResumeButtonTests() : BrowserTest(MethodCatalog.Default)
{


    [Fact]
    public Task The_experiment_page_resumes_a_cancelled_run_and_its_chart_holds_each_step_once() =>
        InBrowserAsync("resume", async (page, baseUrl) =>
        {
            using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };
            var id = await http.LaunchAsync(ResumeTests.Short(), method: "sft");
            await http.WaitForAsync(id, e => (long)e["step"]! > 150, seconds: 300);
            await http.PostAsync($"/api/experiments/{id}/cancel", null);
            await http.WaitForStatusAsync(id, "Cancelled", seconds: 30);

            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            var resume = page.Locator("[data-testid=resume]");
            await Assertions.Expect(resume).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Resume from step [1-9]00"));
            await resume.ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
            await Assertions.Expect(page.Locator("[data-testid='chart-train/loss']")).ToHaveAttributeAsync("data-points", ResumeTests.Steps.ToString());
            await Assertions.Expect(resume).ToHaveCountAsync(0);
        });
}

public sealed class ResumeReviewGuardTests : LabTest
{
    [Fact]
    public async Task Resuming_past_reviewed_verdicts_or_samples_is_refused_until_asked_to_discard_them()
    {
        var id = await Http.LaunchAsync(TestMethods.Long());
        await Http.WaitForStatusAsync(id, "Running");
        await Http.PostAsync($"/api/experiments/{id}/cancel", null);
        await Http.WaitForStatusAsync(id, "Cancelled");
        // a saved state after step 5 (the test method ignores it), and verdicts before and after it, the later one reviewed
        var state = Path.Combine(Lab.Services.GetRequiredService<LabPaths>().RunDirectory(id), "checkpoints", "latest");
        Directory.CreateDirectory(state);
        await File.WriteAllTextAsync(Path.Combine(state, "state.json"), """{"step": 5}""");
        await using (var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
        {
            db.Verdicts.AddRange(new long[] { 3, 10 }.Select(step => new Verdict
            {
                ExperimentId = id, Step = step, Split = "s", Prompt = $"p{step}", TrainedAnswer = "a", BaseAnswer = "b", Judge = "j", Outcome = "tie", Rationale = "r",
                ReviewStatus = step == 10 ? ReviewStatus.Agree : null,
            }));
            db.Samples.AddRange(new long[] { 3, 10 }.Select(step => new Sample { ExperimentId = id, Step = step, Role = "solver", Prompt = $"q{step}", Completion = "a" }));
            await db.SaveChangesAsync();
        }
        // the later sample is reviewed through the API, as a reviewer would
        var later = (await Http.ListAsync($"/api/experiments/{id}/samples?step=10")).Single(v => (string)v!["prompt"]! == "q10")!;
        Assert.Equal(HttpStatusCode.OK, (await Http.PostAsJsonAsync($"/api/samples/{(long)later["id"]!}/review", new { status = "disagree", comment = "reward too high" })).StatusCode);

        var refused = await Http.PostAsync($"/api/experiments/{id}/resume", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("2 reviewed verdicts and samples", await refused.Content.ReadAsStringAsync());
        Assert.Equal([3L, 10L], (await Http.ListAsync($"/api/experiments/{id}/verdicts")).Select(v => (long)v!["step"]!));
        Assert.Equal("Cancelled", (await Http.ExperimentAsync(id)).Status());

        var resumed = await Http.PostAsync($"/api/experiments/{id}/resume?discardReviews=true", null);
        Assert.Equal(HttpStatusCode.Accepted, resumed.StatusCode);
        Assert.Equal([3L], (await Http.ListAsync($"/api/experiments/{id}/verdicts")).Select(v => (long)v!["step"]!));
        Assert.Equal(["q3"], (await Http.ListAsync($"/api/experiments/{id}/samples")).Select(v => (string)v!["prompt"]!).Where(p => p.StartsWith('q')));
    }
}

public sealed class ResumeAfterShutdownTests : IDisposable
{
    readonly TempFolder dataDirectory = new("weblab-restart-");

    public void Dispose() => dataDirectory.Dispose();

    [Theory]
    [InlineData("InProcess")]
    [InlineData("Worker")]                                                 // the lab tells its worker "shutdown" on stdin
    public async Task A_run_stopped_by_a_shutdown_resumes_by_itself_at_the_next_start(string isolation)
    {
        long id;
        await using (var lab = new LabFactory(MethodCatalog.Default, dataDirectory.Path) { Settings = { ["WebLab:Isolation"] = isolation } })
        {
            var http = lab.CreateClient();
            // 300 steps with a state every 50, evaluated only at the end: the test is about the restart, not the training
            id = await http.LaunchAsync(new() { ["steps"] = 300, ["checkpointEvery"] = 50, ["evalEvery"] = 300, ["evalPerSplit"] = 4 }, method: "sft");
            await http.WaitForAsync(id, e => (long)e["step"]! > 120, seconds: 300);
        }                                                                  // graceful shutdown: the run stops at a step boundary
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dataDirectory.Path, "weblab.db")};Pooling=False"))
        {
            await c.OpenAsync();
            await using var q = c.CreateCommand();
            q.CommandText = $"SELECT Status || ': ' || Error FROM Experiments WHERE Id = {id}";
            Assert.Equal($"Cancelled: {WebLab.Web.Features.Experiments.ExperimentJob.ShutdownError}", (string?)await q.ExecuteScalarAsync());
        }

        await using var restarted = new LabFactory(MethodCatalog.Default, dataDirectory.Path) { Settings = { ["WebLab:Isolation"] = isolation } };
        var again = restarted.CreateClient();
        var before = await again.ExperimentAsync(id);                      // start-up has queued it again already
        Assert.Contains(before.Status(), new[] { "Queued", "Running", "Succeeded" });
        await again.WaitForStatusAsync(id, "Succeeded", seconds: 300);
        var loss = await again.ListAsync($"/api/experiments/{id}/metrics?name=train/loss");
        Assert.Equal(Enumerable.Range(1, 300).Select(s => (long)s), loss.Select(m => (long)m!["step"]!));
    }
}
