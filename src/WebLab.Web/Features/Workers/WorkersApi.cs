// The Workers API. Admin: GET /api/workers (the worker hosts, their queues, devices, heartbeats and runs),
// GET/POST /api/workers/tokens and POST /api/workers/tokens/{id}/revoke (worker tokens; a new one's secret is shown once).
// A worker host: POST /api/workers/hello with `Authorization: Bearer wlw_…` and what it serves (HelloRequest); a worker
// token's principal holds the Worker role alone (WorkerTokenHandler), so nothing else accepts it, and only it is accepted here.
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Infrastructure;

namespace WebLab.Web.Features.Workers;

public static partial class WorkersApi
{
    [GeneratedRegex(@"^worker:[A-Za-z0-9._-]{1,200}:\d{1,10}$")]
    private static partial Regex HostName();

    public static IEndpointRouteBuilder MapWorkersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/workers").WithTags("Workers");
        api.MapGet("/", async (WorkersService workers, CancellationToken ct) => await workers.ListAsync(ct)).RequireAuthorization(LabPolicies.Admin);
        api.MapGet("/tokens", async (WebLabDb db, CancellationToken ct) => await WorkerTokens.ListAsync(db, ct)).RequireAuthorization(LabPolicies.Admin);
        api.MapPost("/tokens", async (HttpRequest http, IOptions<JsonOptions> json, WebLabDb db, CurrentActor actor, CancellationToken ct) =>
        {
            var (request, error) = await RequestBody.ReadAsync<CreateWorkerTokenRequest>(http, json);
            if (request is null) return error!;
            if (WorkerTokens.CheckName(request.Name) is { } bad) return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["name"] = [bad] });
            var created = await WorkerTokens.CreateAsync(db, request.Name!, actor.Name, ct);
            return Results.Created($"/api/workers/tokens/{created.Token.Id}", created);
        }).Accepts<CreateWorkerTokenRequest>("application/json").RequireAuthorization(LabPolicies.Admin);
        api.MapPost("/tokens/{id:long}/revoke", async (long id, WebLabDb db, CancellationToken ct) =>
            await WorkerTokens.RevokeAsync(db, id, ct) ? Results.NoContent() : TypedResults.Problem($"no worker token {id}", statusCode: 404))
            .RequireAuthorization(LabPolicies.Admin);
        api.MapPost("/hello", Hello).Accepts<HelloRequest>("application/json").RequireAuthorization(LabPolicies.Worker).DisableAntiforgery();
        return app;
    }

    // the caller is a worker token's principal (WorkerTokenHandler, which found the token): its id is a claim, its name the user's
    static async Task<IResult> Hello(HttpRequest http, IOptions<JsonOptions> json, WebLabDb db, IOptions<WebLabOptions> lab, CancellationToken ct)
    {
        var tokenId = long.Parse(http.HttpContext.User.FindFirst(AuthSchemes.WorkerTokenClaim)!.Value, System.Globalization.CultureInfo.InvariantCulture);
        var tokenName = http.HttpContext.User.Identity!.Name!;
        var (request, error) = await RequestBody.ReadAsync<HelloRequest>(http, json);
        if (request is null) return error!;
        var errors = new Dictionary<string, string[]>();
        if (request.Host is null || !HostName().IsMatch(request.Host)) errors["host"] = ["worker:<machine>:<process id>"];
        if (request.Queues is not { Length: > 0 and <= 64 } queues || queues.Any(q => q is null || !Experiments.LabDevices.IsQueue(q)))
            errors["queues"] = ["1 to 64 device queues: cpu, cuda0, cuda1, …"];
        if (request.Devices is { Length: > 64 } || request.Devices?.Any(d => d is null || d.Name is not { Length: <= 200 } || d.Queue is not { Length: <= 20 }) == true)
            errors["devices"] = ["at most 64, each with a queue and a name of at most 200 characters"];
        if (request.Version is not { Length: > 0 and <= 100 }) errors["version"] = ["1 to 100 characters"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var now = DateTimeOffset.UtcNow;
        var devices = System.Text.Json.JsonSerializer.Serialize(request.Devices ?? [], json.Value.SerializerOptions);
        var hello = await db.Set<WorkerHello>().FirstOrDefaultAsync(h => h.Host == request.Host, ct);
        if (hello is null) db.Add(hello = new WorkerHello { Host = request.Host!, Queues = "", Devices = "", Version = "", FirstSeen = now });
        (hello.TokenId, hello.Queues, hello.Devices, hello.Version, hello.LastSeen) = (tokenId, string.Join(",", request.Queues!), devices, request.Version!, now);
        await db.SaveChangesAsync(ct);
        return Results.Ok(new { token = tokenName, lostAfterSeconds = lab.Value.Workers.LostAfterSeconds });
    }
}
