// The headless runner: a config file in, a finished experiment in the same records out, without Kestrel or Hangfire.
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class HeadlessRunnerTests : IDisposable
{
    readonly string dir = Directory.CreateTempSubdirectory("weblab-headless-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    string[] Args => [$"--WebLab:DataDirectory={dir}", "--WebLab:Device=cpu", "--Logging:LogLevel:Default=Warning"];

    [Fact]
    public async Task Config_file_runs_to_Succeeded_in_the_lab_records()
    {
        var config = Path.Combine(dir, "run.json");
        await File.WriteAllTextAsync(config, $$"""{"name":"headless","method":"{{TestMethods.Name}}","preset":"{{TestMethods.Preset}}","overrides":{{TestMethods.Quick(steps: 5).ToJsonString()}}}""");

        var experiment = await HeadlessRunner.RunAsync(config, Args, TestMethods.Catalog);

        Assert.Equal(ExperimentStatus.Succeeded, experiment.Status);
        Assert.Equal(5, experiment.Step);
        Assert.True(File.Exists(Path.Combine(dir, "weblab.db")));
    }

    [Fact]
    public async Task Bad_config_file_throws_with_the_field_name()
    {
        var config = Path.Combine(dir, "bad.json");
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
