// Sweeps over the API on a real lab (Hangfire, SQLite): one run per grid point, grouped and tagged; a grid with a bad
// point is refused whole, naming the field and the point, and writes nothing.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Sweeps;

public sealed class SweepsApiTests() : LabTest(TestMethods.Catalog)
{
    [Fact]
    public async Task A_sweep_launches_one_run_per_grid_point_grouped()
    {
        var response = await Http.PostAsJsonAsync("/api/sweeps", new
        {
            name = "lr-scan", method = TestMethods.Name, preset = TestMethods.Preset, overrides = new { steps = 3, stepDelayMs = 1 },
            axes = new object[] { new { option = "learningRate", values = new[] { 0.01, 0.1 } }, new { option = "steps", values = new[] { 2, 4 } } },
            tags = new[] { "scan" },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var sweepId = created["id"]!.GetValue<long>();
        var ids = created["experimentIds"]!.AsArray().Select(i => i!.GetValue<long>()).ToList();
        Assert.Equal(4, ids.Count);

        foreach (var id in ids) await Http.WaitForStatusAsync(id, "Succeeded", 60);
        var sweep = (await Http.GetFromJsonAsync<JsonObject>($"/api/sweeps/{sweepId}"))!;
        var runs = sweep["runs"]!.AsArray();
        Assert.Equal(["learningRate=0.01 steps=2", "learningRate=0.01 steps=4", "learningRate=0.1 steps=2", "learningRate=0.1 steps=4"],
            runs.Select(r => (string)r!["point"]!));
        Assert.Equal($"/compare?ids={string.Join(",", ids)}", (string)sweep["compareUrl"]!);
        // each run holds its point's values, its sweep and the sweep's tags; the headline is its own final train/loss
        for (int k = 0; k < 4; k++)
        {
            var e = await Http.ExperimentAsync(ids[k]);
            var (lr, steps) = (k < 2 ? 0.01 : 0.1, k % 2 == 0 ? 2 : 4);
            Assert.Equal((lr, steps, sweepId, "scan"), (e["config"]!["learningRate"]!.GetValue<double>(), e["config"]!["steps"]!.GetValue<int>(),
                e["sweepId"]!.GetValue<long>(), (string)e["tags"]![0]!));
            Assert.Equal(1.0 / (1 + lr * steps), runs[k]!["headlineMetricValue"]!.GetValue<double>(), 9);
        }
        Assert.Equal(4, (await Http.ListAsync("/api/experiments?q=tag:scan")).Count);
    }

    [Fact]
    public async Task A_grid_with_one_bad_point_is_refused_whole()
    {
        var response = await Http.PostAsJsonAsync("/api/sweeps", new
        {
            method = TestMethods.Name, preset = TestMethods.Preset,
            axes = new object[] { new { option = "learningRate", values = new[] { 0.01, 5.0 } } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        var message = errors["learningRate"]![0]!.GetValue<string>();
        Assert.Contains("must be from 1e-9 to 1; got 5", message);
        Assert.Contains("(at learningRate=5)", message);
        Assert.Empty(await Http.ListAsync("/api/experiments"));

        var unknown = await Http.PostAsJsonAsync("/api/sweeps", new { method = TestMethods.Name, axes = new object[] { new { option = "nope", values = new[] { 1 } } } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("'nope' is not an option", await unknown.Content.ReadAsStringAsync());
        var noAxes = await Http.PostAsJsonAsync("/api/sweeps", new { method = TestMethods.Name });
        Assert.Contains("give one or two options", await noAxes.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/sweeps/99")).StatusCode);
        Assert.Empty(await Http.ListAsync("/api/experiments"));
    }

    [Fact]
    public async Task Tags_are_set_at_launch_changed_later_and_searched()
    {
        var launched = await Http.PostAsJsonAsync("/api/experiments", new { method = TestMethods.Name, preset = TestMethods.Preset, overrides = TestMethods.Quick(), tags = new[] { "a1", "b2" } });
        var id = (await launched.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
        Assert.Equal(["a1", "b2"], (await Http.ExperimentAsync(id))["tags"]!.AsArray().Select(t => (string)t!));

        var bad = await Http.PatchAsJsonAsync($"/api/experiments/{id}", new { tags = new[] { "no spaces<>" } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("tags", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsJsonAsync($"/api/experiments/{id}", new { tags = new[] { "b2", "c3" } })).StatusCode);
        Assert.Equal(["b2", "c3"], (await Http.ExperimentAsync(id))["tags"]!.AsArray().Select(t => (string)t!));
        Assert.Single(await Http.ListAsync("/api/experiments?q=tag:c3"));
        Assert.Empty(await Http.ListAsync("/api/experiments?q=tag:a1"));
        Assert.Empty(await Http.ListAsync("/api/experiments?q=tag:c"));                  // a tag search matches whole tags
        var badLaunch = await Http.PostAsJsonAsync("/api/experiments", new { method = TestMethods.Name, tags = new[] { "x y" } });
        Assert.Equal(HttpStatusCode.BadRequest, badLaunch.StatusCode);
    }
}
