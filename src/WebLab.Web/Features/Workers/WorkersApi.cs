// GET /api/workers (Admin): the worker hosts serving the lab's device queues, their queues, slots, heartbeats and runs.
using WebLab.Web.Features.Accounts;

namespace WebLab.Web.Features.Workers;

public static class WorkersApi
{
    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/workers").WithTags("Workers")
            .MapGet("/", async (WorkersService workers, CancellationToken ct) => await workers.ListAsync(ct))
            .RequireAuthorization(LabPolicies.Admin);
        return app;
    }
}
