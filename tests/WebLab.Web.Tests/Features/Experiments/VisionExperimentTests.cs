// The real vision-sr1 method through the real app, from the shipped TinyScenes cold start: tiny-cpu (shortened to 10
// steps and 4 prompts a split) completes with every metric the issue names, accuracy and the Language Shortcut Rate per
// split at each evaluation, and evaluation samples that name their image.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class VisionExperimentTests() : LabTest(MethodCatalog.Default)
{
    static readonly string[] StepMetrics =
    [
        "reward/overall", "reward/accuracy", "reward/format", "reward/description", "kl", "loss", "clip_frac", "entropy",
        "length/response", "groups/zero_std_frac", "description/missing_frac",
    ];

    [Fact]
    public async Task Tiny_cpu_vision_sr1_completes_with_its_metrics_and_shortcut_rate()
    {
        var response = await Http.PostAsJsonAsync("/api/experiments",
            new { method = "vision-sr1", preset = "tiny-cpu", overrides = new { steps = 10, evalEvery = 5, evalPerSplit = 4, prompts = 4 } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var done = await Http.WaitForStatusAsync(id, "Succeeded", seconds: 300);
        Assert.Equal(10, (long)done["step"]!);
        foreach (var name in StepMetrics)
            Assert.Equal(10, (await Http.ListAsync($"/api/experiments/{id}/metrics?name={name}")).Count);
        // the start model is evaluated at step 0 on the same items (the public code's val_before_train), then every 5 steps
        foreach (var name in new[] { "eval/accuracy", "eval/lsr", "eval/lsr_oracle", "eval/lsr_start_model", "eval/accuracy/counter-prior", "eval/lsr/count", "eval/format" })
            Assert.Equal([0, 5, 10], (await Http.ListAsync($"/api/experiments/{id}/metrics?name={Uri.EscapeDataString(name)}")).Select(m => (int)m!["step"]!));

        var samples = await Http.ListAsync($"/api/experiments/{id}/samples");
        var eval = samples.Where(s => (string)s!["role"]! == "eval").ToList();
        Assert.Equal(3 * 7 * 4, eval.Count);                                    // 7 splits × 4 items, three evaluations
        Assert.All(eval, s => Assert.Contains("tinyscenes:", (string)s!["extraJson"]!));
        // every see-think evaluation carries both judges' verdicts
        Assert.All(eval, s => Assert.Contains("\"oracleSufficient\"", (string)s!["extraJson"]!));
        Assert.All(eval, s => Assert.Contains("\"startModelSufficient\"", (string)s!["extraJson"]!));
    }
}
