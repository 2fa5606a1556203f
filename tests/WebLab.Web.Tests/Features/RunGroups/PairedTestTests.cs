// The paired test of the results API on a hand-worked case: two "seeds", each a run evaluated at step 0 (the start model)
// and at step 3, items matched by question and image, the counter-prior split left out, discordant items pooled.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.RunGroups;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.RunGroups;

public sealed class PairedTestTests() : LabTest()
{
    [Fact]
    public void Discordant_items_are_pooled_over_pairs_and_put_to_the_sign_test()
    {
        // pair 1: A yes on x1 x2, B yes on x1 x3 → only A x2, only B x3; pair 2: A yes on y1 y2 y3, B on none → only A 3
        // pooled: only A 4, only B 1 → p = 2·(C(5,0) + C(5,1)) / 2^5 = 12/32 = 0.375
        PairedItem[] Items(string prefix, params bool[] flags) => [.. flags.Select((f, i) => new PairedItem($"{prefix}{i + 1}", f))];
        var result = PairedTest.Of([("a1", Items("x", true, true, false)), ("a2", Items("y", true, true, true))],
            [("b1", [.. Items("x", true, false, true), new PairedItem("x4", true)]), ("b2", Items("y", false, false, false))]);
        Assert.Equal([(3, 1, 1), (3, 3, 0)], result.Pairs.Select(p => (p.Items, p.OnlyA, p.OnlyB)));
        Assert.Equal((4, 1), (result.OnlyA, result.OnlyB));
        Assert.Equal(12 / 32.0, result.SignTestP, 12);
        Assert.Equal((5 / 6.0, 2 / 6.0), (result.ShareA, result.ShareB));
        Assert.Throws<ArgumentException>(() => PairedTest.Of([("a1", [])], []));
    }

    [Fact]
    public async Task The_api_pairs_a_runs_last_evaluation_with_its_step_0_and_reads_each_judges_shortcuts()
    {
        // one vision run: at step 0 the start model answers q1 right from an insufficient description (a shortcut by the
        // oracle, not by the start model) and q2 wrong; at step 3, q1 right and sufficient, q2 right (a shortcut by both);
        // a counter-prior item, right only at step 3, is left out of the in-distribution test
        long run = 0;
        await using (var db = await Lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
        {
            var e = new Experiment { Name = "v", Method = "vision-sr1", ConfigJson = """{"domain": "tinyscenes"}""", Status = ExperimentStatus.Succeeded, CreatedAt = DateTimeOffset.UtcNow };
            db.Experiments.Add(e);
            await db.SaveChangesAsync();
            run = e.Id;
            Sample S(long step, string q, string split, bool correct, bool? oracle, bool? start) => new()
            {
                ExperimentId = run, Step = step, Role = SampleRoles.Eval, Prompt = q, Completion = "c", Correct = correct,
                ExtraJson = SampleExtras.Write(new VisualEvalExtra(split, "1", $"tinyscenes:{q}", "d", "t") { OracleSufficient = oracle, StartModelSufficient = start }),
            };
            db.Samples.AddRange(S(0, "q1", "count", true, false, true), S(0, "q2", "count", false, false, false), S(0, "q3", "counter-prior", false, true, true),
                S(3, "q1", "count", true, true, true), S(3, "q2", "count", true, false, false), S(3, "q3", "counter-prior", true, true, true));
            await db.SaveChangesAsync();
        }
        async Task<JsonObject> Get(string query) => (await Http.GetFromJsonAsync<JsonObject>("/api/results/paired?" + query))!;

        var accuracy = await Get($"a={run}@last&b={run}@0&flag=correct");          // step 3: q1 q2 right; step 0: q1 → only A: q2
        Assert.Equal((2, 1, 0), ((int)accuracy["items"]!, (int)accuracy["onlyA"]!, (int)accuracy["onlyB"]!));
        Assert.Equal(1.0, (double)accuracy["signTestP"]!, 12);                    // 1 against 0: 2·(1/2) = 1
        var oracle = await Get($"a={run}@3&b={run}@0&flag=shortcut_oracle");       // step 3: q2; step 0: q1 → one each way
        Assert.Equal((1, 1), ((int)oracle["onlyA"]!, (int)oracle["onlyB"]!));
        var start = await Get($"a={run}&b={run}@0&flag=shortcut_start_model");     // step 3: q2; step 0: none
        Assert.Equal((1, 0), ((int)start["onlyA"]!, (int)start["onlyB"]!));
        var counterPrior = await Get($"a={run}&b={run}@0&flag=correct&split=counter-prior");
        Assert.Equal((1, 1, 0), ((int)counterPrior["items"]!, (int)counterPrior["onlyA"]!, (int)counterPrior["onlyB"]!));

        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/api/results/paired?a={run}&b={run}@0,{run}@3")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/api/results/paired?a={run}@7&b={run}@0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/api/results/paired?a=x&b={run}")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Http.GetAsync($"/api/results/paired?a={run}&b={run}@0&flag=nope")).StatusCode);
    }
}
