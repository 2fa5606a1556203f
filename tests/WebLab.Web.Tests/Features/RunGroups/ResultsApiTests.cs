// GET /api/results on the real app: runs grouped across seeds, each at its last evaluation with the ood split apart, the
// pooled sign test worked by hand, and the same table as Markdown and CSV.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.RunGroups;

public sealed class ResultsApiTests() : LabTest()
{
    [Fact]
    public async Task Runs_are_grouped_across_seeds_with_the_mean_spread_and_pooled_sign_test()
    {
        await ResultsSeed.SeedAsync(Lab);

        var groups = (await Http.GetFromJsonAsync<JsonArray>("/api/results?tag=evidence"))!;
        Assert.Equal(["lsp · tinytasks-frontier · preset=tiny-cpu", "grpo · tinytasks-frontier · preset=tiny-cpu"], groups.Select(g => (string)g!["label"]!));
        var lsp = groups[0]!;
        // seeds 1–3 (the untagged and the failed run left out), each at step 600 without its ood verdicts
        Assert.Equal([(1, 3, 1, 0), (2, 2, 0, 1), (3, 4, 0, 0)], lsp["runs"]!.AsArray().Select(r => ((int)r!["seed"]!, (int)r["wins"]!, (int)r["ties"]!, (int)r["losses"]!)));
        // win rates (W + T/2) / n: 3.5/4 = 0.875, 2/3, 4/4 = 1 → mean 0.84722…, min 2/3, max 1
        Assert.Equal((0.875 + 2 / 3.0 + 1) / 3, (double)lsp["winRate"]!["mean"]!, 12);
        Assert.Equal((2 / 3.0, 1.0), ((double)lsp["winRate"]!["min"]!, (double)lsp["winRate"]!["max"]!));
        // pooled: W 9, T 1, L 1; sign test over the 10 decided items, k = 1: 2·(C(10,0) + C(10,1)) / 2^10 = 22 / 1024
        Assert.Equal((9, 1, 1), ((int)lsp["pooled"]!["wins"]!, (int)lsp["pooled"]!["ties"]!, (int)lsp["pooled"]!["losses"]!));
        Assert.Equal(22 / 1024.0, (double)lsp["pooled"]!["signTestP"]!, 12);
        Assert.Equal(1.0, (double)groups[1]!["pooled"]!["signTestP"]!, 12);             // W 1 / L 1

        var md = await Http.GetStringAsync("/api/results?tag=evidence&format=md");
        Assert.Contains("| lsp · tinytasks-frontier · preset=tiny-cpu | 3 / 1 / 0, 87.5% (1, 11000001) | 2 / 0 / 1, 66.7% (2, 11000101) | 4 / 0 / 0, 100.0% (3, 11000201) | 84.7% | 66.7%–100.0% | 9 / 1 / 1 | 0.021 |", md);
        var csv = (await Http.GetStringAsync("/api/results?tag=evidence&format=csv")).Split("\r\n");
        Assert.StartsWith("group,run_id,run_name,seed,eval_seed,step,wins,ties,losses,win_rate", csv[0]);
        Assert.Equal(5, csv.Count(l => l.Length > 0));                                  // header + 4 runs

        // grouped by method alone, the domain column is gone; by seed, each run is its own group
        Assert.Equal(["lsp", "grpo"], (await Http.GetFromJsonAsync<JsonArray>("/api/results?tag=evidence&group=method"))!.Select(g => (string)g!["label"]!));
        Assert.Equal(4, (await Http.GetFromJsonAsync<JsonArray>("/api/results?tag=evidence&group=method,seed"))!.Count);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync("/api/results?format=xml")).StatusCode);
    }
}
