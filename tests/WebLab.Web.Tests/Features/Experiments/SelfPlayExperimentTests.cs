// The real lsp method through the real app: tiny-cpu (shortened to 20 steps and 6 prompts a split) completes with every
// self-play metric, the curriculum's too, its verdicts are listed, and a reviewer's agree/disagree is stored (bad review
// input is refused).
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class SelfPlayExperimentTests() : LabTest(MethodCatalog.Default)
{
    static readonly string[] IterationMetrics =
    [
        "solver/reward_mean", "solver/reward_std", "challenger/reward_mean", "challenger/value_mean", "quality/mean",
        "kl/solver", "kl/challenger", "loss/solver", "loss/challenger", "entropy/solver", "length/query", "length/answer",
        "groups/zero_std_frac", "challenger/valid_frac", "tokens_per_s",
    ];

    [Fact]
    public async Task Tiny_cpu_lsp_completes_with_its_metrics_verdicts_and_reviews()
    {
        var response = await Http.PostAsJsonAsync("/api/experiments",
            new { method = "lsp", preset = "tiny-cpu", overrides = new { steps = 20, evalEvery = 10, evalPerSplit = 6, queries = 8 } });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var done = await Http.WaitForStatusAsync(id, "Succeeded", seconds: 240);
        Assert.Equal(20, (long)done["step"]!);

        foreach (var name in IterationMetrics)
            Assert.Equal(20, (await Http.ListAsync($"/api/experiments/{id}/metrics?name={name}")).Count);
        var all = await Http.ListAsync($"/api/experiments/{id}/metrics");
        Assert.Contains(all, m => ((string)m!["name"]!).StartsWith("challenger/family/", StringComparison.Ordinal));
        Assert.Contains(all, m => ((string)m!["name"]!).StartsWith("challenger/level/", StringComparison.Ordinal));
        Assert.Contains(all, m => ((string)m!["name"]!).StartsWith("solver/reward/level_", StringComparison.Ordinal));
        Assert.NotEmpty(await Http.ListAsync($"/api/experiments/{id}/metrics?name=challenger/level_mean"));
        // the preset's dynamic sampling: Solver groups with signal each step, and refill queries stored, marked as such
        Assert.Equal(20, (await Http.ListAsync($"/api/experiments/{id}/metrics?name=groups/kept")).Count);
        var challengers = (await Http.ListAsync($"/api/experiments/{id}/samples")).Where(s => (string)s!["role"]! == "challenger").ToList();
        Assert.Contains(challengers, s => ((string?)s!["extraJson"] ?? "").Contains("\"refill\":true", StringComparison.Ordinal));
        Assert.Equal([10, 20], (await Http.ListAsync($"/api/experiments/{id}/metrics?name=eval/win_rate")).Select(m => (int)m!["step"]!));
        Assert.Contains(all, m => (string)m!["name"]! == "eval/win_rate/ood");            // the frontier testbed's separate split

        // 8 splits (7 families + ood) × 6 prompts per evaluation, two evaluations
        var verdicts = await Http.ListAsync($"/api/experiments/{id}/verdicts");
        Assert.Equal(2 * 8 * 6, verdicts.Count);
        var v = verdicts[0]!;
        Assert.All(new[] { "prompt", "split", "trainedAnswer", "baseAnswer", "judge", "rationale" }, k => Assert.NotNull(v[k]));
        Assert.Contains((string)v["verdict"]!, new[] { "win", "tie", "loss" });

        var verdictId = (long)v["id"]!;
        var review = await Http.PostAsJsonAsync($"/api/verdicts/{verdictId}/review", new { status = "disagree", comment = "the base answer is right too" });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);
        var reviewed = (await Http.ListAsync($"/api/experiments/{id}/verdicts")).Single(x => (long)x!["id"]! == verdictId)!;
        Assert.Equal("Disagree", (string)reviewed["reviewStatus"]!, ignoreCase: true);
        Assert.Equal("the base answer is right too", (string)reviewed["reviewComment"]!);

        var bad = await Http.PostAsJsonAsync($"/api/verdicts/{verdictId}/review", new { status = "maybe" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.PostAsJsonAsync("/api/verdicts/999999/review", new { status = "agree" })).StatusCode);
    }
}
