// The REST API end to end on the real app: launch → Succeeded, cancel, bad input never writes, unknown ids are 404.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ExperimentsApiTests() : LabTest()
{
    [Fact]
    public async Task Launched_experiment_runs_to_Succeeded_and_keeps_every_metric_point()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 20), name: "quick");

        var done = await Http.WaitForStatusAsync(id, "Succeeded");

        Assert.Equal(20, (long)done["step"]!);
        Assert.Equal(20, (long)done["totalSteps"]!);
        Assert.Equal("train/loss", (string?)done["headlineMetricName"]);
        var metrics = await Http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss");
        Assert.Equal(Enumerable.Range(1, 20), metrics.Select(m => (int)m!["step"]!));
        var afterTen = await Http.ListAsync($"/api/experiments/{id}/metrics?afterId={(long)metrics[9]!["id"]!}");
        Assert.Equal(10, afterTen.Count);
        Assert.Equal(20, (await Http.ListAsync($"/api/experiments/{id}/samples")).Count);
        Assert.Single(await Http.ListAsync($"/api/experiments/{id}/samples?step=3&role=solver"));
    }

    [Fact]
    public async Task Checkpoints_are_listed_and_download_as_a_zip()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 3));
        await Http.WaitForStatusAsync(id, "Succeeded");

        var checkpoint = Assert.Single(await Http.ListAsync($"/api/experiments/{id}/checkpoints"));
        var download = await Http.GetAsync((string)checkpoint!["downloadUrl"]!);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Cancel_stops_a_running_experiment_within_10_seconds_and_keeps_its_points()
    {
        var id = await Http.LaunchAsync(TestMethods.Long());
        await Http.WaitForAsync(id, e => e.Status() == "Running" && (long)e["step"]! > 2);

        var cancel = await Http.PostAsync($"/api/experiments/{id}/cancel", null);

        Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
        var cancelled = await Http.WaitForStatusAsync(id, "Cancelled", seconds: 10);
        Assert.NotNull(cancelled["finishedAt"]);
        Assert.NotEmpty(await Http.ListAsync($"/api/experiments/{id}/metrics"));
        Assert.Equal(HttpStatusCode.Conflict, (await Http.PostAsync($"/api/experiments/{id}/cancel", null)).StatusCode);
    }

    [Fact]
    public async Task Cancelled_queued_experiment_never_runs()
    {
        var busy = await Http.LaunchAsync(TestMethods.Long());   // one worker per device: the next one waits
        await Http.WaitForStatusAsync(busy, "Running");
        var queued = await Http.LaunchAsync(TestMethods.Quick());

        Assert.Equal(HttpStatusCode.Accepted, (await Http.PostAsync($"/api/experiments/{queued}/cancel", null)).StatusCode);
        await Http.PostAsync($"/api/experiments/{busy}/cancel", null);
        await Http.WaitForStatusAsync(busy, "Cancelled", seconds: 10);
        // The device's one worker takes jobs in the order they were queued: once a run launched now has finished, a job
        // still queued for the cancelled run would have been taken before it (a bounded wait, not a guess at a delay).
        await Http.WaitForStatusAsync(await Http.LaunchAsync(TestMethods.Quick(steps: 1, stepDelayMs: 0)), "Succeeded");

        var e = await Http.ExperimentAsync(queued);
        Assert.Equal("Cancelled", e.Status());
        Assert.Null(e["startedAt"]);
        Assert.Empty(await Http.ListAsync($"/api/experiments/{queued}/metrics"));
    }

    [Fact]
    public async Task Job_delivered_again_for_a_finished_run_does_not_run_it()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 3));
        var before = await Http.WaitForStatusAsync(id, "Succeeded");

        // What Hangfire would do if it re-delivered the job after a crash.
        using var scope = Lab.Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<ExperimentJob>().Run(id, CancellationToken.None);

        var after = await Http.ExperimentAsync(id);
        Assert.Equal((string?)before["startedAt"], (string?)after["startedAt"]);
        Assert.Equal(3, (await Http.ListAsync($"/api/experiments/{id}/metrics")).Count);
    }

    [Theory]
    [InlineData("""{"method":"no-such-method","preset":"tiny-cpu"}""", "method")]
    [InlineData("""{"method":"counting","preset":"no-such-preset"}""", "preset")]
    [InlineData("""{"method":"counting","preset":"tiny-cpu","overrides":{"learningRate":-0.1}}""", "learningRate")]
    [InlineData("""{"method":"counting","preset":"tiny-cpu","overrides":{"steps":1000000000000}}""", "steps")]
    [InlineData("""{"method":"counting","preset":"tiny-cpu","overrides":{"noSuchOption":1}}""", "noSuchOption")]
    [InlineData("""{"method":"counting","preset":"tiny-cpu","parentExperimentId":424242}""", "parentExperimentId")]
    [InlineData("""{"method":"counting","preset":"tiny-cpu","device":"gpu0"}""", "device")]
    [InlineData("""{"method":"counting","preset":"tiny-cpu","device":"cuda:3"}""", "device")]   // local workers, and this host has no CUDA
    [InlineData("""{"method":"counting","preset":""", "preset")]
    [InlineData("""{"method":"counting","steps":}""", "steps")]
    public async Task Bad_launch_request_is_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        var response = await Http.PostAsync("/api/experiments", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        Assert.Empty(await Http.ListAsync("/api/experiments"));
    }

    [Theory]
    [InlineData("GET", "/api/experiments/999")]
    [InlineData("GET", "/api/experiments/999/metrics")]
    [InlineData("GET", "/api/experiments/999/samples")]
    [InlineData("GET", "/api/experiments/999/checkpoints")]
    [InlineData("GET", "/api/experiments/999/verdicts")]
    [InlineData("POST", "/api/experiments/999/cancel")]
    public async Task Unknown_experiment_is_a_404_problem(string verb, string url)
    {
        var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(verb), url));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task List_filters_by_status_method_and_name()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 2), name: "alpha-run");
        await Http.WaitForStatusAsync(id, "Succeeded");

        Assert.Single(await Http.ListAsync("/api/experiments?status=Succeeded&method=counting&q=alpha"));
        Assert.Empty(await Http.ListAsync("/api/experiments?status=Running"));
        Assert.Empty(await Http.ListAsync("/api/experiments?q=beta"));
    }

    [Fact]
    public async Task Verdicts_can_be_reviewed_and_a_bad_review_status_is_a_400()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 2));
        await Http.WaitForStatusAsync(id, "Succeeded");
        var verdict = Assert.Single(await Http.ListAsync($"/api/experiments/{id}/verdicts"));
        var url = $"/api/verdicts/{(long)verdict!["id"]!}/review";

        var ok = await Http.PostAsJsonAsync(url, new { status = "disagree", comment = "3 is wrong too" });
        var bad = await Http.PostAsJsonAsync(url, new { status = "maybe" });

        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("disagree", (string?)(await ok.Content.ReadFromJsonAsync<JsonObject>())!["reviewStatus"]);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsJsonAsync("/api/verdicts/999/review", new { status = "agree" })).StatusCode);
    }

    [Fact]
    public async Task Samples_can_be_reviewed_and_their_reviews_are_listed_and_exported()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 2));
        await Http.WaitForStatusAsync(id, "Succeeded");
        var sample = (await Http.ListAsync($"/api/experiments/{id}/samples?step=2")).Single()!;
        var url = $"/api/samples/{(long)sample["id"]!}/review";

        var ok = await Http.PostAsJsonAsync(url, new { status = "disagree", comment = "3 is right, the reward should be 1" });
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.PostAsJsonAsync(url, new { status = "2" })).StatusCode);   // not an enum number either
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsJsonAsync("/api/samples/999/review", new { status = "agree" })).StatusCode);

        var listed = (await Http.ListAsync($"/api/experiments/{id}/samples")).Select(s => s!.AsObject()).ToList();
        Assert.Equal([null, "disagree"], listed.Select(s => (string?)s["reviewStatus"]));
        var exported = (await Http.GetStringAsync($"/api/experiments/{id}/export/samples.jsonl")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("3 is right, the reward should be 1", exported[1]);
    }

    [Fact]
    public async Task Methods_and_presets_describe_the_options()
    {
        var method = Assert.Single(await Http.ListAsync("/api/methods"));
        var lr = method!["options"]!.AsArray().Single(o => (string?)o!["name"] == "learningRate")!;
        var presets = (await Http.GetFromJsonAsync<JsonObject>("/api/presets"))!;

        Assert.Equal("number", (string?)lr["type"]);
        Assert.Equal(1e-9, (double)lr["min"]!);
        Assert.Equal(20, (int)presets["counting"]!["tiny-cpu"]!["steps"]!);
    }

    [Fact]
    public async Task Records_live_in_the_data_directory_in_WAL_mode()
    {
        await Http.GetAsync("/api/experiments");
        await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(Lab.DataDirectory, "weblab.db")}");
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await pragma.ExecuteScalarAsync());
        Assert.True(File.Exists(Path.Combine(Lab.DataDirectory, "hangfire.db")));
    }

    [Theory]
    [InlineData("/", "MudBlazor")]
    [InlineData("/experiments/new", "MudBlazor")]
    [InlineData("/hangfire", "Hangfire Dashboard")]
    [InlineData("/openapi/v1.json", "/api/experiments")]
    [InlineData("/_content/MudBlazor/MudBlazor.min.css", ".mud-")]
    [InlineData("/lib/uplot/uPlot.iife.min.js", "uPlot")]
    public async Task Pages_dashboard_api_document_and_assets_are_served(string url, string expected)
    {
        var response = await Http.GetAsync(url);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(expected, await response.Content.ReadAsStringAsync());
    }
}
