// Verdicts of a run and a person's review of each: GET /api/experiments/{id}/verdicts, GET /api/experiments/{id}/winrates,
// POST /api/verdicts/{id}/review, and of a sample's recorded reward: POST /api/samples/{id}/review.
using Microsoft.EntityFrameworkCore;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Features.Review;

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
        api.MapPost("/verdicts/{id:long}/review", Review);
        api.MapPost("/samples/{id:long}/review", ReviewSample);
        return app;
    }

    static bool TryStatus(string? text, out ReviewStatus status) =>
        Enum.TryParse(text, ignoreCase: true, out status) && !int.TryParse(text, out _);

    static IResult BadStatus() =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["status"] = ["use agree, disagree or unsure"] });

    static async Task<IResult> Review(long id, ReviewRequest request, EvaluationService evaluation) =>
        !TryStatus(request.Status, out var status) ? BadStatus()
        : await evaluation.ReviewAsync(id, status, request.Comment) is { } dto ? TypedResults.Ok(dto)
        : TypedResults.Problem($"no verdict {id}", statusCode: 404);

    static async Task<IResult> ReviewSample(long id, ReviewRequest request, EvaluationService evaluation) =>
        !TryStatus(request.Status, out var status) ? BadStatus()
        : await evaluation.ReviewSampleAsync(id, status, request.Comment) is { } dto ? TypedResults.Ok(dto)
        : TypedResults.Problem($"no sample {id}", statusCode: 404);
}
