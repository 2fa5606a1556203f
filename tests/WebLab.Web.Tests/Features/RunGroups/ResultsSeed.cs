// Finished runs with verdicts, written straight into a lab's database, for the results view's tests. The hand-worked case:
// lsp on tinytasks-frontier, seeds 1–3, at their last evaluation (step 600): W/T/L 3/1/0, 2/0/1, 4/0/0 (an earlier step and
// an ood verdict that must not count); grpo seed 1: 1/0/1; an lsp run without the tag and a Failed one that must not count.
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.RunGroups;

static class ResultsSeed
{
    public static async Task SeedAsync(LabFactory lab)
    {
        await using var db = await lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        await RunAsync(db, "lsp s1", "lsp", 1, 11000001, "evidence", ExperimentStatus.Succeeded, (600, "sort", "win", 3), (600, "sort", "tie", 1),
            (600, "ood", "loss", 5), (300, "sort", "loss", 4));
        await RunAsync(db, "lsp s2", "lsp", 2, 11000101, "evidence", ExperimentStatus.Succeeded, (600, "cnt", "win", 2), (600, "cnt", "loss", 1));
        await RunAsync(db, "lsp s3", "lsp", 3, 11000201, "evidence", ExperimentStatus.Succeeded, (600, "dedup", "win", 4));
        await RunAsync(db, "grpo s1", "grpo", 1, 11000301, "evidence", ExperimentStatus.Succeeded, (600, "sort", "win", 1), (600, "sort", "loss", 1));
        await RunAsync(db, "lsp untagged", "lsp", 4, 11000401, null, ExperimentStatus.Succeeded, (600, "sort", "loss", 9));
        await RunAsync(db, "lsp failed", "lsp", 5, 11000501, "evidence", ExperimentStatus.Failed, (300, "sort", "loss", 9));
    }

    static async Task RunAsync(WebLabDb db, string name, string method, int seed, int evalSeed, string? tag, ExperimentStatus status,
        params (long Step, string Split, string Outcome, int Count)[] verdicts)
    {
        var run = new Experiment
        {
            Name = name, Method = method, Preset = "tiny-cpu", Status = status, CreatedAt = DateTimeOffset.UtcNow, Tags = tag,
            ConfigJson = $$"""{"domain": "tinytasks-frontier", "steps": 600, "seed": {{seed}}, "evalSeed": {{evalSeed}}}""",
        };
        db.Experiments.Add(run);
        await db.SaveChangesAsync();
        db.Verdicts.AddRange(verdicts.SelectMany(v => Enumerable.Range(0, v.Count).Select(_ => new Verdict
        {
            ExperimentId = run.Id, Step = v.Step, Split = v.Split, Prompt = "p", TrainedAnswer = "t", BaseAnswer = "b",
            TrainedShownFirst = true, Judge = "exact", Outcome = v.Outcome, Rationale = "r",
        })));
        await db.SaveChangesAsync();
    }
}
