// Win rates and reviews over stored verdicts on the real app: GET winrates per step and split, POST review, latest row.
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Review;

public sealed class EvaluationApiTests() : LabTest()
{
    Task<long> SeedAsync(params (long Step, string Split, string Outcome)[] verdicts) =>
        Lab.SeedRunAsync("seeded", "lsp", rows: (db, run) => db.Verdicts.AddRange(verdicts.Select(v => new Verdict
        {
            ExperimentId = run, Step = v.Step, Split = v.Split, Prompt = "p", TrainedAnswer = "t", BaseAnswer = "b",
            TrainedShownFirst = true, Judge = "exact", Outcome = v.Outcome, Rationale = "r",
        })));

    [Fact]
    public async Task Winrates_are_per_step_and_split_with_ties_counted_half()
    {
        var id = await SeedAsync((10, "math", "win"), (10, "math", "loss"), (20, "math", "win"), (20, "math", "tie"), (20, "text", "loss"));

        var steps = await Http.ListAsync($"/api/experiments/{id}/winrates");

        Assert.Equal([10L, 20L], steps.Select(s => (long)s!["step"]!));
        // step 20: math W=1 T=1 → 1.5/2 = 0.75; text L=1 → 0; overall (1 + 0.5) / 3 = 0.5
        Assert.Equal(0.75, (double)steps[1]!["splits"]!["math"]!["winRate"]!, 12);
        Assert.Equal(0.0, (double)steps[1]!["splits"]!["text"]!["winRate"]!, 12);
        Assert.Equal(0.5, (double)steps[1]!["overall"]!["winRate"]!, 12);
        Assert.Equal(1, (int)steps[1]!["overall"]!["ties"]!);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/experiments/999/winrates")).StatusCode);
    }

    [Fact]
    public async Task Latest_row_uses_the_last_evaluation_step_and_reviews_count_towards_agreement()
    {
        var id = await SeedAsync((10, "math", "loss"), (20, "math", "win"), (20, "math", "tie"));
        var verdicts = await Http.ListAsync($"/api/experiments/{id}/verdicts");

        var reviewed = await Http.PostAsJsonAsync($"/api/verdicts/{(long)verdicts[1]!["id"]!}/review", new { status = "disagree", comment = "base was right" });

        Assert.Equal(HttpStatusCode.OK, reviewed.StatusCode);
        using var scope = Lab.Services.CreateScope();
        var service = scope.ServiceProvider.GetRequiredService<EvaluationService>();
        var row = await service.LatestRowAsync(id);
        Assert.Equal(20, row!.Step);
        Assert.Equal(new WinRateCell(1, 1, 0), row.Overall);
        var all = await service.VerdictsAsync(id);
        var agreement = WinRates.AgreementOfStates(all.Select(v => v.ReviewStatus));
        Assert.Equal(new Agreement(0, 1, 0, 2), agreement);
        Assert.Equal("base was right", all[1].ReviewComment);
        Assert.Contains(id, (await service.WithVerdictsAsync()).Select(c => c.Id));
    }

    [Fact]
    public async Task Every_review_is_kept_with_its_reviewer_and_kappa_is_reported_between_reviewers()
    {
        var id = await SeedAsync((10, "math", "win"), (10, "math", "loss"), (10, "math", "tie"));
        var ids = (await Http.ListAsync($"/api/experiments/{id}/verdicts")).Select(v => (long)v!["id"]!).ToList();
        async Task Review(long verdict, string status, string who) =>
            Assert.Equal(HttpStatusCode.OK, (await Http.PostAsJsonAsync($"/api/verdicts/{verdict}/review", new { status, reviewer = who, comment = $"{who} says {status}" })).StatusCode);

        await Review(ids[0], "disagree", "ann");
        await Review(ids[0], "agree", "ann");                                   // changed: the first word stays in the history
        await Review(ids[0], "agree", "bob");
        await Review(ids[1], "disagree", "ann");
        await Review(ids[1], "agree", "bob");

        var body = (await Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/experiments/{id}/reviews"))!;
        var history = body["history"]!.AsArray();
        Assert.Equal(["ann disagree", "ann agree", "bob agree", "ann disagree", "bob agree"],
            history.Select(h => $"{(string)h!["reviewer"]!} {(string)h["status"]!}"));
        Assert.Equal("ann says disagree", (string)history[0]!["comment"]!);
        // the verdict row holds the latest review and who gave it
        var first = (await Http.ListAsync($"/api/experiments/{id}/verdicts"))[0]!;
        Assert.Equal(("agree", "bob"), ((string)first["reviewStatus"]!, (string)first["reviewedBy"]!));
        // ann (agree, disagree) against bob (agree, agree) on the two both reviewed: p_o = .5, p_e = .5 → κ = 0
        var pair = body["reviewers"]!.AsArray().Single()!;
        Assert.Equal(("ann", "bob", 2, 0.0), ((string)pair["a"]!, (string)pair["b"]!, (int)pair["items"]!, (double)pair["kappa"]!));
        // exported with the run
        var export = await Http.GetStringAsync($"/api/experiments/{id}/export/reviews.jsonl");
        Assert.Equal(5, export.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        // a name or comment too long is refused by field
        var tooLong = await Http.PostAsJsonAsync($"/api/verdicts/{ids[2]}/review", new { status = "agree", reviewer = new string('x', 65) });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.Contains("reviewer", await tooLong.Content.ReadAsStringAsync());
        Assert.Equal(5, (await Http.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/experiments/{id}/reviews"))!["history"]!.AsArray().Count);
    }
}
