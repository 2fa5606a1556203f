// The audit trail on a real lab: launching, renaming, tagging, reviewing, cancelling, resuming and deleting each leave
// a row naming who did what and when, shown with the run, exported with it, and kept after the run is deleted.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class AuditTrailTests() : LabTest(TestMethods.Catalog)
{
    [Fact]
    public async Task Every_action_on_a_run_is_recorded_with_who_and_when_and_outlives_the_run()
    {
        var id = await Http.LaunchAsync(TestMethods.Long(), name: "audited");
        Assert.Equal(HttpStatusCode.OK, (await Http.PatchAsJsonAsync($"/api/experiments/{id}", new { name = "audited-2", tags = new[] { "a1" } })).StatusCode);
        await Http.WaitForAsync(id, e => e.Status() == "Running" && (long)e["step"]! > 0);
        Assert.Equal(HttpStatusCode.Accepted, (await Http.PostAsync($"/api/experiments/{id}/cancel", null)).StatusCode);
        await Http.WaitForStatusAsync(id, "Cancelled");

        var other = await Http.LaunchAsync();                                   // a quick run that ends with a verdict
        await Http.WaitForStatusAsync(other, "Succeeded");
        var verdict = (long)(await Http.ListAsync($"/api/experiments/{other}/verdicts"))[0]!["id"]!;
        await Http.PostAsJsonAsync($"/api/verdicts/{verdict}/review", new { status = "disagree", reviewer = "ann" });

        var trail = await Http.ListAsync($"/api/experiments/{id}/audit");
        Assert.Equal(["launched", "renamed", "tagged", "cancelled"], trail.Select(a => (string)a!["action"]!));
        Assert.All(trail, a => Assert.Equal("anonymous", (string)a!["actor"]!));
        Assert.Contains("\"audited\" → \"audited-2\"", (string)trail[1]!["detail"]!);
        Assert.Contains("none → a1", (string)trail[2]!["detail"]!);
        var review = (await Http.ListAsync($"/api/experiments/{other}/audit")).Last()!;
        Assert.Equal(("reviewed", "ann", $"verdict {verdict}: disagree"), ((string)review["action"]!, (string)review["actor"]!, (string)review["detail"]!));

        var export = await Http.GetStringAsync($"/api/experiments/{id}/export/audit.jsonl");
        Assert.Equal(4, export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);

        Assert.Equal(HttpStatusCode.NoContent, (await Http.DeleteAsync($"/api/experiments/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync($"/api/experiments/{id}")).StatusCode);
        var after = await Http.ListAsync($"/api/experiments/{id}/audit");          // the record of the deletion stays
        Assert.Equal(["launched", "renamed", "tagged", "cancelled", "deleted"], after.Select(a => (string)a!["action"]!));
        Assert.Contains("\"audited-2\"", (string)after[4]!["detail"]!);
    }
}
