// A job whose run was failed as lost and claimed again elsewhere (what the lab does to a worker host that went silent)
// stops, and leaves the run as the new claim has it: no status, no finish time, no more points. The run here is claimed
// again by rewriting its row, as RunDispatcher and a second worker would.
using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Data;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class FencingTests() : LabTest()
{
    [Fact]
    public async Task A_job_whose_run_was_claimed_again_stops_and_records_nothing_more()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 400, stepDelayMs: 25));   // 10 s if left alone
        await Http.WaitForAsync(id, e => e.Status() == "Running" && (long)e["step"]! >= 5);
        var dbs = Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>();
        var takenAt = DateTimeOffset.UtcNow;
        await using (var db = await dbs.CreateDbContextAsync())
            await db.Experiments.Where(e => e.Id == id).ExecuteUpdateAsync(s => s.SetProperty(e => e.StartedAt, takenAt.AddSeconds(1)));

        // the job ends (its writer found the run no longer its own and stopped it) long before its 400 steps
        var monitoring = Lab.Services.GetRequiredService<JobStorage>().GetMonitoringApi();
        await Poll.UntilAsync(() => monitoring.ProcessingCount() == 0 && monitoring.SucceededListCount() >= 1, "the job ended", seconds: 20);

        await using var check = await dbs.CreateDbContextAsync();
        var run = await check.Experiments.AsNoTracking().SingleAsync(e => e.Id == id);
        Assert.Equal(WebLab.Web.Features.Experiments.Records.ExperimentStatus.Running, run.Status);   // the new claim's, untouched
        Assert.Null(run.FinishedAt);
        Assert.Null(run.Error);
        var points = await check.MetricPoints.Where(m => m.ExperimentId == id).Select(m => new { m.Step, m.Time }).ToListAsync();
        Assert.True(points.Count < 400, $"{points.Count} points: the run went on");
        // at most the batch that was in flight when it was taken (a 250 ms window) lands after
        Assert.All(points, p => Assert.True(p.Time < takenAt.AddSeconds(1), $"step {p.Step} written at {p.Time:O}, after the run was taken at {takenAt:O}"));
    }
}
