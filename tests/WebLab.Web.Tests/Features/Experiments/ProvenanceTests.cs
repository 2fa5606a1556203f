// A run records where it came from when it starts: the lab's version and git commit (stamped into the build), the device
// and threads, and its start model's folder with the sha256 of the weights it loaded; the API serves it and the key
// names are stable.
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ProvenanceTests() : LabTest(MethodCatalog.Default)
{
    [Fact]
    public async Task A_run_records_its_code_device_and_start_model()
    {
        var response = await Http.PostAsJsonAsync("/api/experiments", new
        {
            method = "grpo", preset = "tiny-cpu", overrides = new { steps = 2, evalEvery = 2, evalPerSplit = 2, prompts = 2, answers = 2, threads = 1 },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        var run = await Http.WaitForStatusAsync(id, "Succeeded", seconds: 180);

        var p = run["provenance"]!.AsObject();
        var weights = Path.Combine(AppContext.BaseDirectory, "models", "tinytasks-frontier-base", "model.safetensors");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(weights))), (string)p["startModelSha256"]!);
        Assert.EndsWith("tinytasks-frontier-base", (string)p["startModel"]!);
        Assert.Equal(("cpu", 1), ((string)p["device"]!, (int)p["threads"]!));
        Assert.Matches(new Regex("^([0-9a-f]{40}|unknown)$"), (string)p["gitCommit"]!);
        Assert.False(string.IsNullOrEmpty((string)p["labVersion"]!));
        Assert.Equal(Environment.ProcessorCount, (int)p["processorCount"]!);
        Assert.Contains("NET", (string)p["dotNet"]!);
        Assert.Equal(1, (int)p["seed"]!);
        // the device (the processor's name and the machine's memory on the CPU), the libtorch it ran on, and its peak
        Assert.False(string.IsNullOrWhiteSpace((string?)p["deviceName"]));
        Assert.Equal(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes, (long)p["deviceMemoryBytes"]!);
        Assert.StartsWith("2.10", (string)p["libTorch"]!);
        Assert.InRange((long)p["peakMemoryBytes"]!, 50L << 20, (long)p["deviceMemoryBytes"]!);   // the process's VmHWM: the runtime, libtorch and the run
        Assert.Contains("VmHWM", (string)p["peakMemoryMeaning"]!);
        Assert.Contains(p["gitDirty"]!.GetValueKind(), new[] { System.Text.Json.JsonValueKind.True, System.Text.Json.JsonValueKind.False });   // the commit's code, or changed since
        Assert.Null(p["baseModel"]);                                                // grpo starts from the base it is judged against
        Assert.True(DateTimeOffset.Parse((string)p["startedAt"]!) <= DateTimeOffset.Parse((string)run["finishedAt"]!));

        // exported with the run: options, provenance, times and tags in one file
        var export = (await Http.GetFromJsonAsync<JsonObject>($"/api/experiments/{id}/export/run.json"))!;
        Assert.Equal((string)p["startModelSha256"]!, (string)export["provenance"]!["startModelSha256"]!);
        Assert.Equal(2, (int)export["config"]!["steps"]!);
        Assert.NotNull(export["finishedAt"]);
    }
}
