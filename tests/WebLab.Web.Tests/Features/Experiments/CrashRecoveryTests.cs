// Crash safety: kill -9 the lab mid-run, start it again: the run reads Failed (never stuck at Running) and is not re-run.
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class CrashRecoveryTests : IDisposable
{
    readonly TempFolder dataDirectory = new("weblab-crash-");

    public void Dispose() => dataDirectory.Dispose();

    [Fact]
    public async Task Run_killed_with_the_process_is_Failed_after_restart_and_not_run_again()
    {
        long id, stepsBeforeCrash;
        using (var lab = new ChildLab(dataDirectory.Path))
        {
            await lab.WaitUntilReadyAsync();
            id = await lab.Http.LaunchAsync(new() { ["steps"] = 100_000, ["stepDelayMs"] = 20 }, method: "diagnostic-sleep");
            await lab.Http.WaitForAsync(id, e => e.Status() == "Running" && (long)e["step"]! > 5);
            lab.KillHard();
        }

        using var restarted = new ChildLab(dataDirectory.Path);
        await restarted.WaitUntilReadyAsync();
        var failed = await restarted.Http.ExperimentAsync(id);
        stepsBeforeCrash = (await restarted.Http.ListAsync($"/api/experiments/{id}/metrics")).Count;
        // The device's one worker takes queued jobs in order: once a run launched after the restart has finished, the
        // killed run's job, were it delivered again, would have been taken before it.
        var after = await restarted.Http.LaunchAsync(new() { ["steps"] = 1, ["stepDelayMs"] = 0 }, method: "diagnostic-sleep");
        await restarted.Http.WaitForStatusAsync(after, "Succeeded");

        Assert.Equal("Failed", failed.Status());
        Assert.Contains("the lab process stopped during the run", (string?)failed["error"]);
        var later = await restarted.Http.ExperimentAsync(id);
        Assert.Equal("Failed", later.Status());
        Assert.Equal(stepsBeforeCrash, (await restarted.Http.ListAsync($"/api/experiments/{id}/metrics")).Count);
    }
}

public sealed class StartupRecoveryTests() : LabTest()
{
    [Fact]
    public async Task Start_up_fails_orphaned_runs_but_leaves_a_live_headless_run_alone()
    {
        using (var scope = Lab.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<WebLab.Web.Data.WebLabDb>();
            db.Experiments.AddRange(
                new() { Name = "headless-alive", Method = "counting", ConfigJson = "{}", Status = ExperimentStatus.Running, JobId = HeadlessOwner.Current },
                new() { Name = "headless-dead", Method = "counting", ConfigJson = "{}", Status = ExperimentStatus.Running, JobId = $"{HeadlessOwner.Prefix}{Environment.MachineName}:{int.MaxValue}" },
                new() { Name = "hangfire-orphan", Method = "counting", ConfigJson = "{}", Status = ExperimentStatus.Running, JobId = "17" });
            await db.SaveChangesAsync();
        }

        await WebLab.Web.Data.DbInitializer.InitializeAsync(Lab.Services, failInterruptedRuns: true);

        using var check = Lab.Services.CreateScope();
        var rows = check.ServiceProvider.GetRequiredService<WebLab.Web.Data.WebLabDb>().Experiments.ToDictionary(e => e.Name, e => e.Status);
        Assert.Equal(ExperimentStatus.Running, rows["headless-alive"]);
        Assert.Equal(ExperimentStatus.Failed, rows["headless-dead"]);
        Assert.Equal(ExperimentStatus.Failed, rows["hangfire-orphan"]);
    }
}
