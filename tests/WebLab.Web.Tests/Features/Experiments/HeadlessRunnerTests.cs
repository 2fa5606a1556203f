// The headless runner: a config file in, a finished experiment in the same records out, without Kestrel or Hangfire.
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class HeadlessRunnerTests : IDisposable
{
    readonly TempFolder dir = new("weblab-headless-");

    public void Dispose() => dir.Dispose();

    string[] Args => [$"--WebLab:DataDirectory={dir.Path}", "--WebLab:Device=cpu", "--Logging:LogLevel:Default=Warning"];

    [Fact]
    public async Task Config_file_runs_to_Succeeded_in_the_lab_records()
    {
        var config = Path.Combine(dir.Path, "run.json");
        await File.WriteAllTextAsync(config, $$"""{"name":"headless","method":"{{TestMethods.Name}}","preset":"{{TestMethods.Preset}}","overrides":{{TestMethods.Quick(steps: 5).ToJsonString()}}}""");

        var experiment = await HeadlessRunner.RunAsync(config, Args, TestMethods.Catalog);

        Assert.Equal(ExperimentStatus.Succeeded, experiment.Status);
        Assert.Equal(5, experiment.Step);
        Assert.True(File.Exists(Path.Combine(dir.Path, "weblab.db")));
    }

    [Fact]
    public async Task A_headless_run_writes_as_a_named_account_that_may_launch()
    {
        var config = Path.Combine(dir.Path, "run.json");
        await File.WriteAllTextAsync(config, $$"""{"name":"as-ann","method":"{{TestMethods.Name}}","overrides":{{TestMethods.Quick(steps: 2).ToJsonString()}}}""");
        Assert.Null(await WebLab.Web.Features.Accounts.AdminAccounts.CreateAsync(new("ann", "correct horse battery", "Researcher"), Args));
        Assert.Null(await WebLab.Web.Features.Accounts.AdminAccounts.CreateAsync(new("vic", "correct horse battery", "Viewer"), Args));

        var run = await HeadlessRunner.RunAsync(config, Args, TestMethods.Catalog, asUser: "ann");
        Assert.Equal("ann", run.CreatedBy);
        Assert.Contains("no such account", (await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HeadlessRunner.RunAsync(config, Args, TestMethods.Catalog, asUser: "nobody"))).Message);
        Assert.Contains("may not launch runs", (await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HeadlessRunner.RunAsync(config, Args, TestMethods.Catalog, asUser: "vic"))).Message);
        Assert.StartsWith("cli:", (await HeadlessRunner.RunAsync(config, Args, TestMethods.Catalog)).CreatedBy);
    }

    [Fact]
    public async Task A_headless_run_killed_on_this_machine_resumes_headless()
    {
        var config = Path.Combine(dir.Path, "sft.json");
        await File.WriteAllTextAsync(config, """{"name":"headless-sft","method":"sft","preset":"tiny-cpu"}""");
        var db = $"Data Source={Path.Combine(dir.Path, "weblab.db")};Pooling=False";
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(async () =>                                 // stop it once it has saved a state (every 100 steps)
        {
            try
            {
                await Poll.UntilAsync(async () =>
                {
                    try
                    {
                        await using var c = new Microsoft.Data.Sqlite.SqliteConnection(db);
                        await c.OpenAsync();
                        await using var q = c.CreateCommand();
                        q.CommandText = "SELECT Step FROM Experiments WHERE Id = 1";
                        return await q.ExecuteScalarAsync() is long step && step > 150;
                    }
                    catch (Microsoft.Data.Sqlite.SqliteException) { return false; }   // not created yet
                }, "the headless run passed step 150 (a state saved)", seconds: 300);
            }
            finally { stop.Cancel(); }                                     // on a timeout too: the run stops, the watcher's error fails the test
        });
        var stopped = await HeadlessRunner.RunAsync(config, Args, MethodCatalog.Default, stop.Token);
        await watcher;
        Assert.Equal(ExperimentStatus.Cancelled, stopped.Status);
        // as if the process had been killed: still Running, owned by a process that is gone
        await using (var c = new Microsoft.Data.Sqlite.SqliteConnection(db))
        {
            await c.OpenAsync();
            await using var u = c.CreateCommand();
            u.CommandText = $"UPDATE Experiments SET Status = 'Running', JobId = '{HeadlessOwner.Prefix}{Environment.MachineName}:{int.MaxValue}' WHERE Id = 1";
            await u.ExecuteNonQueryAsync();
        }

        var resumed = await HeadlessRunner.ResumeAsync(stopped.Id, Args, MethodCatalog.Default);

        Assert.Equal((ExperimentStatus.Succeeded, 800L), (resumed.Status, resumed.Step));
        await using var check = new Microsoft.Data.Sqlite.SqliteConnection(db);
        await check.OpenAsync();
        await using var q = check.CreateCommand();
        q.CommandText = "SELECT COUNT(*), COUNT(DISTINCT Step), MIN(Step), MAX(Step) FROM MetricPoints WHERE ExperimentId = 1 AND Name = 'train/loss'";
        await using var r = await q.ExecuteReaderAsync();
        await r.ReadAsync();
        Assert.Equal((800L, 800L, 1L, 800L), (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3)));
        var again = await Assert.ThrowsAsync<InvalidOperationException>(() => HeadlessRunner.ResumeAsync(stopped.Id, Args, MethodCatalog.Default));
        Assert.Contains("is not stopped", again.Message);
    }

    [Fact]
    public async Task Bad_config_file_throws_with_the_field_name()
    {
        var config = Path.Combine(dir.Path, "bad.json");
        await File.WriteAllTextAsync(config, $"{{\"method\":\"{TestMethods.Name}\",\"overrides\":{{\"learningRate\":-1}}}}");

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => HeadlessRunner.RunAsync(config, Args, TestMethods.Catalog));

        Assert.Contains("learningRate", e.Errors.Keys);
    }
}

public sealed class HeadlessOwnerTests
{
    [Fact]
    public void A_live_headless_process_owns_its_run_and_a_dead_one_does_not()
    {
        Assert.True(HeadlessOwner.IsAlive(HeadlessOwner.Current));                                   // this test process
        Assert.False(HeadlessOwner.IsAlive($"{HeadlessOwner.Prefix}{Environment.MachineName}:{int.MaxValue}")); // no such pid
        Assert.True(HeadlessOwner.IsAlive($"{HeadlessOwner.Prefix}some-other-host:1"));             // cannot check: left alone
        Assert.False(HeadlessOwner.IsAlive("42"));                                                    // a Hangfire job id
        Assert.False(HeadlessOwner.IsAlive(null));
    }
}
