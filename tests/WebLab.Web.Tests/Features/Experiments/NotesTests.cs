// Renaming a run and keeping notes with it (PATCH /api/experiments/{id}) on the real app: allowed while the run trains
// without undoing its progress (or it undoing them), found by the list's search, refused whole with a 400 naming the
// field, 404 for an unknown run.
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class NotesTests() : LabTest()
{
    Task<HttpResponseMessage> PatchAsync(long id, string body) =>
        Http.PatchAsync($"/api/experiments/{id}", new StringContent(body, Encoding.UTF8, "application/json"));

    [Fact]
    public async Task A_running_run_is_renamed_and_annotated_and_finishes_with_both()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 150, stepDelayMs: 20), name: "first-name");
        await Http.WaitForAsync(id, e => (long)e["step"]! >= 10);

        var response = await PatchAsync(id, """{"name": "  lr sweep 3e-4  ", "notes": "does the loss plateau?\nwatch step 100"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edited = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(("lr sweep 3e-4", "does the loss plateau?\nwatch step 100", "Running"), ((string)edited["name"]!, (string)edited["notes"]!, edited.Status()));

        var done = await Http.WaitForStatusAsync(id, "Succeeded");
        Assert.Equal(150L, (long)done["step"]!);                                 // the edit did not undo progress…
        Assert.Equal(("lr sweep 3e-4", "does the loss plateau?\nwatch step 100"), ((string)done["name"]!, (string)done["notes"]!)); // …nor progress the edit

        // notes alone; the name stays. The search finds runs by their notes too.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(id, """{"notes": "plateaus at 0.7"}""")).StatusCode);
        var again = await Http.ExperimentAsync(id);
        Assert.Equal(("lr sweep 3e-4", "plateaus at 0.7"), ((string)again["name"]!, (string)again["notes"]!));
        Assert.Single(await Http.ListAsync("/api/experiments?q=plateaus"));
        Assert.Empty(await Http.ListAsync("/api/experiments?q=nowhere"));

        // an empty notes string clears them
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(id, """{"notes": ""}""")).StatusCode);
        Assert.Null((await Http.ExperimentAsync(id))["notes"]);
    }

    [Theory]
    [InlineData("""{"name": "   "}""", "name")]
    [InlineData("""{"name": "a-name-too-long-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "notes": "kept?"}""", "name")]
    [InlineData("""{}""", "body")]
    [InlineData("""{"notes": 42}""", "notes")]
    [InlineData("""{"notes": "unterminated""", "notes")]
    public async Task A_bad_edit_is_a_400_naming_the_field_and_changes_nothing(string body, string field)
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 2), name: "kept-name");
        await Http.WaitForStatusAsync(id, "Succeeded");

        var response = await PatchAsync(id, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True(problem["errors"]!.AsObject().ContainsKey(field), problem.ToJsonString());
        var after = await Http.ExperimentAsync(id);
        Assert.Equal(("kept-name", null), ((string)after["name"]!, (string?)after["notes"]));
    }

    [Fact]
    public async Task Notes_longer_than_the_limit_are_refused_and_an_unknown_run_is_a_404()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 2));
        var response = await PatchAsync(id, new JsonObject { ["notes"] = new string('x', 10_001) }.ToJsonString());
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("10,000", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(id, new JsonObject { ["notes"] = new string('x', 10_000) }.ToJsonString())).StatusCode);

        var missing = await PatchAsync(424242, """{"notes": "x"}""");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Notes_can_be_given_at_launch_within_the_limit()
    {
        var launch = await Http.PostAsJsonAsync("/api/experiments", new JsonObject
        {
            ["method"] = TestMethods.Name, ["preset"] = TestMethods.Preset, ["overrides"] = TestMethods.Quick(steps: 2), ["notes"] = "baseline for #12",
        });
        Assert.Equal(HttpStatusCode.Created, launch.StatusCode);
        var id = (long)(await launch.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        Assert.Equal("baseline for #12", (string)(await Http.ExperimentAsync(id))["notes"]!);

        var tooLong = await Http.PostAsJsonAsync("/api/experiments", new JsonObject
        {
            ["method"] = TestMethods.Name, ["preset"] = TestMethods.Preset, ["notes"] = new string('x', 10_001),
        });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject().ContainsKey("notes"));
        Assert.Single(await Http.ListAsync("/api/experiments"));                 // the refused launch wrote nothing
    }
}
