// Run folders under WebLab:Artifacts:Root (issue 31: a folder several hosts share): a run's worker process writes its
// checkpoint there, not under the data directory, and the lab lists and downloads it from there.
using System.IO.Compression;
using System.Net;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Database;

public sealed class ArtifactsRootTests : IDisposable
{
    readonly TempFolder shared = new("weblab-artifacts-");
    public void Dispose() => shared.Dispose();

    [Fact]
    public async Task A_runs_checkpoint_lands_under_the_artifacts_root_and_downloads_from_there()
    {
        await using var lab = new LabFactory(TestMethods.Catalog);
        lab.Settings["WebLab:Artifacts:Root"] = shared.Path;
        using var http = lab.CreateClient();
        var id = await http.LaunchAsync();
        await http.WaitForStatusAsync(id, "Succeeded", 60);

        Assert.True(File.Exists(Path.Combine(shared.Path, id.ToString(), "final", "config.json")));
        Assert.False(Directory.Exists(Path.Combine(lab.DataDirectory, "runs", id.ToString())));
        var checkpoint = (await http.ListAsync($"/api/experiments/{id}/checkpoints")).Single()!;
        var download = await http.GetAsync($"/api/experiments/{id}/checkpoints/{(long)checkpoint["id"]!}/download");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        using var zip = new ZipArchive(await download.Content.ReadAsStreamAsync());
        Assert.Equal(["config.json"], zip.Entries.Select(e => e.FullName));
    }
}
