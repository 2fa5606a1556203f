// Verdicts of a run and a person's review of each: GET /api/experiments/{id}/verdicts, GET /api/experiments/{id}/winrates,
// POST /api/verdicts/{id}/review, and of a sample's recorded reward: POST /api/samples/{id}/review. Every review is kept:
// GET /api/experiments/{id}/reviews (the history, oldest first, and Cohen's κ per pair of reviewers).
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Infrastructure;

namespace WebLab.Web.Features.Review;

/// <param name="Judge">Each reviewer's agreement with the judge, over the rows they reviewed (null where a caller has no judge).</param>
public sealed record ReviewHistoryDto(IReadOnlyList<ReviewEventDto> History, IReadOnlyList<ReviewerPair> Reviewers, IReadOnlyList<JudgeAgreement>? Judge = null);

public static class ReviewApi
{
    public static IEndpointRouteBuilder MapReviewApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Review");
        api.MapGet("/experiments/{id:long}/verdicts", async (long id, WebLabDb db) =>
            await db.Experiments.AnyAsync(e => e.Id == id)
                ? Results.Ok((await db.Verdicts.AsNoTracking().Where(v => v.ExperimentId == id).OrderBy(v => v.Id).ToListAsync()).Select(ExperimentDtos.ToDto))
                : ExperimentsApi.NotFound(id));
        api.MapGet("/experiments/{id:long}/winrates", async (long id, WebLabDb db, EvaluationService evaluation) =>
            await db.Experiments.AnyAsync(e => e.Id == id) ? Results.Ok(await evaluation.PerStepAsync(id)) : ExperimentsApi.NotFound(id));
        api.MapGet("/experiments/{id:long}/reviews", async (long id, WebLabDb db, EvaluationService evaluation) =>
        {
            if (!await db.Experiments.AnyAsync(e => e.Id == id)) return ExperimentsApi.NotFound(id);
            var history = await evaluation.HistoryAsync(id);
            return Results.Ok(new ReviewHistoryDto(history, ReviewerAgreement.Pairs(history),
                ReviewerAgreement.WithJudge(history.Where(h => h.Target == ReviewEvent.VerdictTarget))));
        });
        api.MapPost("/verdicts/{id:long}/review", Review).RequireAuthorization(Accounts.LabPolicies.Review).Accepts<ReviewRequest>("application/json");
        api.MapPost("/samples/{id:long}/review", ReviewSample).RequireAuthorization(Accounts.LabPolicies.Review).Accepts<ReviewRequest>("application/json");
        return app;
    }

    static bool TryStatus(string? text, out ReviewStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && !int.TryParse(text, out _);

    public const int MaxCommentLength = 4000;

    /// <summary>What is wrong with a review request, by field (empty when it is fine).</summary>
    static Dictionary<string, string[]> Problems(ReviewRequest request, out ReviewStatus status)
    {
        var problems = new Dictionary<string, string[]>();
        if (!TryStatus(request.Status, out status)) problems["status"] = ["use agree, disagree or unsure"];
        if (request.Comment is { Length: > MaxCommentLength }) problems["comment"] = [$"at most {MaxCommentLength} characters (got {request.Comment.Length})"];
        if (request.Reviewer is { Length: > ReviewEvent.MaxReviewerLength }) problems["reviewer"] = [$"at most {ReviewEvent.MaxReviewerLength} characters"];
        else if (request.Reviewer?.Any(char.IsControl) == true) problems["reviewer"] = ["a name is one line of text: no control characters"];
        return problems;
    }

    static Task<IResult> Review(long id, HttpRequest http, IOptions<JsonOptions> json, EvaluationService evaluation) =>
        ReviewAsync(http, json, $"no verdict {id}", (status, r) => evaluation.ReviewAsync(id, status, r.Comment, r.Reviewer));

    static Task<IResult> ReviewSample(long id, HttpRequest http, IOptions<JsonOptions> json, EvaluationService evaluation) =>
        ReviewAsync(http, json, $"no sample {id}", (status, r) => evaluation.ReviewSampleAsync(id, status, r.Comment, r.Reviewer));

    /// <summary>Reads and checks a review request, then saves it: 400 by field, 404 (<paramref name="notFound"/>) when the row is gone.</summary>
    static async Task<IResult> ReviewAsync<TDto>(HttpRequest http, IOptions<JsonOptions> json, string notFound,
        Func<ReviewStatus, ReviewRequest, Task<TDto?>> save) where TDto : class
    {
        var (request, error) = await RequestBody.ReadAsync<ReviewRequest>(http, json);
        return request is null ? error!
            : Problems(request, out var status) is { Count: > 0 } problems ? TypedResults.ValidationProblem(problems)
            : await save(status, request) is { } dto ? TypedResults.Ok(dto)
            : TypedResults.Problem(notFound, statusCode: 404);
    }
}
