// The memory plan before launch: POST /api/experiments/plan breaks a run's peak down and names the changes that would fit;
// a launch that cannot fit is a 400 naming the fields and the alternatives, and nothing is queued. The folders hold only
// the config.json of Llama-3.2-3B's shape (the plan reads shapes, not weights); the device is stated as 40 GiB.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class MemoryPlanApiTests : IDisposable
{
    readonly TempFolder root = new("weblab-plan-");
    public void Dispose() => root.Dispose();

    string Llama3b(string name, bool reward) => TinyHfFolders.ShapeOnly(Path.Combine(root.Path, name), TinyHfFolders.Llama32_3B, reward);

    [Fact]
    public async Task A_3B_full_fp32_lsp_run_is_planned_and_refused_with_the_changes_that_fit()
    {
        await using var lab = new LabFactory(MethodCatalog.Default);
        lab.Settings["WebLab:PathRoots:0"] = root.Path;
        lab.Settings["WebLab:DeviceMemoryGiB"] = "40";
        using var http = lab.CreateClient();
        var evalSet = Path.Combine(root.Path, "eval.txt");
        File.WriteAllText(evalSet, "Name three birds.\n");
        var overrides = new JsonObject
        {
            ["domain"] = "chat", ["model"] = Llama3b("policy", reward: false), ["rewardModel"] = Llama3b("reward", reward: true), ["evalSet"] = evalSet,
            ["queries"] = 1, ["answers"] = 2, ["maxQueryTokens"] = 32, ["maxAnswerTokens"] = 32, ["precision"] = "Fp32",
        };

        var planned = await http.PostAsJsonAsync("/api/experiments/plan", new { method = "lsp", preset = "tiny-cpu", overrides });
        Assert.Equal(HttpStatusCode.OK, planned.StatusCode);
        var plan = (await planned.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.False((bool)plan["fits"]!);
        Assert.Equal(40L << 30, (long)plan["available"]!);
        var bytes = plan["plan"]!;
        Assert.InRange((long)bytes["parameters"]!, 3_200_000_000L, 3_220_000_000L);                   // Llama-3.2-3B: 3.21B
        Assert.Equal(4 * (long)bytes["parameters"]!, (long)bytes["weights"]!);                         // fp32 full
        long rewardModel = (long)bytes["parameters"]! + 3072;                                          // the same shape, with a score head of 1 × 3072 (tied: no output head)
        Assert.Equal(2 * 4 * (long)bytes["parameters"]! + 4 * rewardModel, (long)bytes["frozen"]!);   // reference, opponent, reward model
        var alternatives = plan["alternatives"]!.AsArray();
        Assert.Contains(alternatives, a => (string)a!["change"]! == "adapter=Lora" && (bool)a["fits"]!);
        Assert.Contains(alternatives, a => (string)a!["change"]! == "precision=Bf16Mixed" && !(bool)a["fits"]!);

        var launch = await http.PostAsJsonAsync("/api/experiments", new { method = "lsp", preset = "tiny-cpu", overrides });
        Assert.Equal(HttpStatusCode.BadRequest, launch.StatusCode);
        var errors = (await launch.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
        var memory = (string)errors["memory"]![0]!;
        Assert.Contains("the device has 40.00 GiB", memory);
        Assert.Contains("it fits with adapter=Lora", memory);
        Assert.Contains("with adapter=Lora the run needs", (string)errors["adapter"]![0]!);
        Assert.Empty(await http.ListAsync("/api/experiments"));                                        // nothing queued

        // with LoRA the same run fits: the base frozen, the reference and the opponent the policy itself
        overrides["adapter"] = "Lora";
        var lora = (await (await http.PostAsJsonAsync("/api/experiments/plan", new { method = "lsp", preset = "tiny-cpu", overrides })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)lora["fits"]!);
        Assert.Equal(4 * rewardModel, (long)lora["plan"]!["frozen"]!);                                  // the reward model alone
    }

    [Fact]
    public async Task A_tiny_run_fits_and_bad_options_are_a_400()
    {
        await using var lab = new LabFactory(MethodCatalog.Default);
        using var http = lab.CreateClient();
        var plan = (await (await http.PostAsJsonAsync("/api/experiments/plan", new { method = "grpo", preset = "tiny-cpu" })).Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.True((bool)plan["fits"]!);
        Assert.Equal("cpu", (string)plan["device"]!);
        Assert.True((long)plan["plan"]!["total"]! > 0);
        var bad = await http.PostAsJsonAsync("/api/experiments/plan", new { method = "grpo", overrides = new { steps = 0 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
