// Sweeps: POST /api/sweeps launches one run per grid point (one or two options × their values), grouped; GET
// /api/sweeps/{id} returns the sweep with each point's run, status and headline metric. Bad input → 400 naming the field
// (and the grid point), and nothing is written.
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Infrastructure;

namespace WebLab.Web.Features.Sweeps;

public sealed record CreatedSweep(long Id, IReadOnlyList<long> ExperimentIds);
public sealed record SweepRunDto(long Id, string Name, string Point, string Status, long Step, long TotalSteps, string? HeadlineMetricName, double? HeadlineMetricValue);
public sealed record SweepDto(long Id, string Name, string Method, string? Preset, JsonNode? Axes, DateTimeOffset CreatedAt, IReadOnlyList<SweepRunDto> Runs)
{
    /// <summary>The Compare page with every run of the sweep.</summary>
    public string CompareUrl => "/compare?ids=" + string.Join(",", Runs.Select(r => r.Id));
}

public static class SweepsApi
{
    public static IEndpointRouteBuilder MapSweepsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/sweeps").WithTags("Sweeps");
        api.MapPost("/", Create).Accepts<CreateSweepRequest>("application/json").Produces<CreatedSweep>(201).ProducesValidationProblem()
            .RequireRateLimiting(Extensions.HostingExtensions.LaunchPolicy).RequireAuthorization(Accounts.LabPolicies.Launch);
        api.MapGet("/{id:long}", async (long id, WebLabDb db) =>
            await ReadAsync(db, id) is { } dto ? Results.Ok(dto) : Results.Problem(statusCode: 404, title: "Not found", detail: $"no sweep {id}"));
        return app;
    }

    static async Task<IResult> Create(HttpRequest http, RunLaunches service, IOptions<JsonOptions> json)
    {
        var (request, error) = await RequestBody.ReadAsync<CreateSweepRequest>(http, json);
        if (request is null) return error!;
        var result = await service.CreateSweepAsync(request);
        return result.Sweep is { } sweep
            ? TypedResults.Created($"/api/sweeps/{sweep.Id}", new CreatedSweep(sweep.Id, [.. result.Runs.Select(r => r.Id)]))
            : TypedResults.ValidationProblem(result.Errors);
    }

    /// <summary>The sweep and its runs in grid order; null for an unknown id.</summary>
    public static async Task<SweepDto?> ReadAsync(WebLabDb db, long id, CancellationToken ct = default)
    {
        var sweep = await db.Sweeps.AsNoTracking().FirstOrDefaultAsync(s => s.Id == id, ct);
        if (sweep is null) return null;
        var runs = await db.Experiments.AsNoTracking().Where(e => e.SweepId == id).OrderBy(e => e.Id).ToListAsync(ct);
        var prefix = sweep.Name + " ";
        return new(sweep.Id, sweep.Name, sweep.Method, sweep.Preset, JsonNode.Parse(sweep.AxesJson), sweep.CreatedAt,
            [.. runs.Select(e => new SweepRunDto(e.Id, e.Name, e.Name.StartsWith(prefix, StringComparison.Ordinal) ? e.Name[prefix.Length..] : e.Name,
                e.Status.ToString(), e.Step, e.TotalSteps, e.HeadlineMetricName, e.HeadlineMetricValue))]);
    }
}
