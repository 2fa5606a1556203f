// GET /api/queue: the waiting runs with their positions and expected starts; POST /api/queue/{id}/move {position}: an
// Admin reorders (cancel a waiting run with POST /api/experiments/{id}/cancel, as any run).
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Infrastructure;

namespace WebLab.Web.Features.Queue;

public sealed record MoveRequest(int? Position);

public static class QueueApi
{
    public static IEndpointRouteBuilder MapQueueApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/queue").WithTags("Queue");
        api.MapGet("/", async (QueueService queue, CancellationToken ct) => await queue.ListAsync(ct));
        api.MapPost("/{id:long}/move", async (long id, HttpRequest http, IOptions<JsonOptions> json, QueueService queue, CancellationToken ct) =>
        {
            var (request, error) = await RequestBody.ReadAsync<MoveRequest>(http, json);
            if (request is null) return error!;
            if (request.Position is not { } p || p < 1)
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["position"] = ["a whole number from 1 (next)"] });
            return await queue.MoveAsync(id, p, ct) ? Results.NoContent()
                : TypedResults.Problem($"experiment {id} is not waiting in the queue", statusCode: 409);
        }).Accepts<MoveRequest>("application/json").RequireAuthorization(LabPolicies.Admin);
        return app;
    }
}
