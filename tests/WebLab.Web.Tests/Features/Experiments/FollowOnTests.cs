// Follow-on runs start from the parent's final checkpoint; a parent that never finished has none, and the child says
// so instead of silently starting from the base model.
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class FollowOnTests : LabTest
{
    [Fact]
    public async Task A_child_of_an_unfinished_parent_fails_clearly_and_of_a_finished_one_runs()
    {
        var unfinished = await Http.LaunchAsync(TestMethods.Long());
        await Http.WaitForStatusAsync(unfinished, "Running");
        await Http.PostAsync($"/api/experiments/{unfinished}/cancel", null);
        await Http.WaitForStatusAsync(unfinished, "Cancelled");
        var orphan = await Http.WaitForStatusAsync(await Http.LaunchAsync(parentExperimentId: unfinished), "Failed");
        Assert.Equal($"parent experiment {unfinished} has no checkpoint to start from (it has not finished)", (string?)orphan["error"]);

        var finished = await Http.LaunchAsync(TestMethods.Quick());
        await Http.WaitForStatusAsync(finished, "Succeeded");
        var child = await Http.WaitForStatusAsync(await Http.LaunchAsync(parentExperimentId: finished), "Succeeded");
        Assert.Equal(finished, (long)child["parentExperimentId"]!);
    }
}
