// What a newcomer reads at the first start (issue 27, defect 14): the lab's own log on a new data folder has no warning
// (EF's "partially applied state" on SQLite's table rebuilds was one), and the restore every build makes has no NU1603
// (a dependency's version the feed lacks), read from the restore's own record of its warnings.
using System.Text.Json;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Diagnostics;

public sealed class FirstStartTests : IDisposable
{
    readonly TempFolder data = new("weblab-first-start-");
    public void Dispose() => data.Dispose();

    [Fact]
    public async Task The_first_start_logs_no_warning()
    {
        using var lab = new ChildLab(data.Path);
        await lab.WaitUntilReadyAsync();
        var lines = lab.Output.Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("warn:", StringComparison.Ordinal));
        Assert.DoesNotContain("partially applied state", lab.Output);
        Assert.Contains(lines, l => l.Contains("Create the first admin", StringComparison.Ordinal) || l.Contains("Now listening", StringComparison.Ordinal));
    }

    [Fact]
    public void The_restore_of_every_project_records_no_NU1603()
    {
        var root = ChildLab.RepoRoot();
        var assets = Directory.GetFiles(Path.Combine(root, "src"), "project.assets.json", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(root, "tests"), "project.assets.json", SearchOption.AllDirectories)).ToList();
        Assert.NotEmpty(assets);
        foreach (var file in assets)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            var codes = doc.RootElement.TryGetProperty("logs", out var logs) ? logs.EnumerateArray().Select(l => l.GetProperty("code").GetString()).ToList() : [];
            Assert.DoesNotContain("NU1603", codes);
        }
    }
}
