// REST API of experiments: create, list, details, rename and notes, metrics, samples, checkpoints, cancel, resume, delete. Bad input → 400/404 ProblemDetails.
using System.IO.Compression;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebLab.Web.Data;
using WebLab.Web.Features.Accounts;
using WebLab.Web.Infrastructure;

namespace WebLab.Web.Features.Experiments;

public static class ExperimentsApi
{
    public static IEndpointRouteBuilder MapExperimentsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/experiments").WithTags("Experiments");
        api.MapPost("/", Create).Accepts<CreateExperimentRequest>("application/json")
            .Produces<CreatedExperiment>(201).ProducesValidationProblem().RequireRateLimiting(Extensions.HostingExtensions.LaunchPolicy)
            .RequireAuthorization(LabPolicies.Launch);
        api.MapPost("/plan", Plan).Accepts<CreateExperimentRequest>("application/json").Produces<PlanDto>().ProducesValidationProblem();
        api.MapGet("/", async (ExperimentService s, string? status, string? method, string? q) =>
            status is { Length: > 0 } && !Enum.TryParse<Records.ExperimentStatus>(status, ignoreCase: true, out _) || int.TryParse(status, out _)
                ? Results.ValidationProblem(new Dictionary<string, string[]> { ["status"] = [$"one of {string.Join(", ", Enum.GetNames<Records.ExperimentStatus>())}"] })
                : q is { Length: > 200 } ? Results.ValidationProblem(new Dictionary<string, string[]> { ["q"] = ["at most 200 characters"] })
                : Results.Ok((await s.ListAsync(status, method, q)).Select(e => e.ToDto(withConfig: false))));
        api.MapGet("/{id:long}", async Task<Results<Ok<ExperimentDto>, ProblemHttpResult>> (long id, ExperimentService s) =>
            await s.FindAsync(id) is { } e ? TypedResults.Ok(e.ToDto()) : NotFound(id));
        api.MapGet("/{id:long}/metrics", async Task<Results<Ok<List<MetricDto>>, ProblemHttpResult>> (long id, string? name, long? afterId, ExperimentReads reads) =>
            await reads.ExistsAsync(id) ? TypedResults.Ok(await reads.MetricsAsync(id, name, afterId ?? 0)) : NotFound(id));
        api.MapGet("/{id:long}/samples", async Task<Results<Ok<List<SampleDto>>, ProblemHttpResult>> (long id, long? step, string? role, ExperimentReads reads) =>
            await reads.ExistsAsync(id) ? TypedResults.Ok(await reads.SamplesAsync(id, step, role)) : NotFound(id));
        api.MapGet("/{id:long}/checkpoints", async Task<Results<Ok<List<CheckpointDto>>, ProblemHttpResult>> (long id, ExperimentReads reads) =>
            await reads.ExistsAsync(id) ? TypedResults.Ok(await reads.CheckpointsAsync(id)) : NotFound(id));
        api.MapGet("/{id:long}/checkpoints/{checkpointId:long}/download", Download);
        // the audit trail of a run, also after it was deleted (its rows outlive it)
        api.MapGet("/{id:long}/audit", async (long id, WebLabDb db) => Results.Ok(await Audit.AuditTrail.OfAsync(db, id)));
        // changing a run: the role here, the ownership (a Researcher's own runs; an Admin's any) in ExperimentService
        api.MapPost("/{id:long}/cancel", Cancel).RequireAuthorization(LabPolicies.Launch);
        api.MapPost("/{id:long}/resume", Resume).RequireAuthorization(LabPolicies.Launch);
        api.MapDelete("/{id:long}", Delete).RequireAuthorization(LabPolicies.Launch);
        api.MapPatch("/{id:long}", Edit).RequireAuthorization(LabPolicies.Review).Accepts<EditExperimentRequest>("application/json")
            .Produces<ExperimentDto>().ProducesValidationProblem().ProducesProblem(404);
        return app;
    }

    // Bodies are parsed by RequestBody, not by the binder: malformed JSON, a wrong type or an unknown key is a 400 naming the field.
    static Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpRequest http, IOptions<JsonOptions> json) where T : class => RequestBody.ReadAsync<T>(http, json);

    static async Task<IResult> Create(HttpRequest http, RunLaunches service, IOptions<JsonOptions> json)
    {
        var (request, error) = await ReadAsync<CreateExperimentRequest>(http, json);
        if (request is null) return error!;
        var result = await service.CreateAsync(request);
        return result.Experiment is { } created
            ? TypedResults.Created($"/api/experiments/{created.Id}", new CreatedExperiment(created.Id))
            : TypedResults.ValidationProblem(result.Errors);
    }

    /// <summary>POST /api/experiments/plan: what a launch with this body would hold in memory on the lab's device, broken
    /// down, against the device's memory, with the changes that would make it fit.</summary>
    static async Task<IResult> Plan(HttpRequest http, RunLaunches launches, IOptions<JsonOptions> json)
    {
        var (request, error) = await ReadAsync<CreateExperimentRequest>(http, json);
        if (request is null) return error!;
        var (verdict, errors) = launches.PlanFor(request);
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);
        return verdict is null
            ? TypedResults.Ok(new PlanDto(launches.Device, null, null, null, [], "the start model's shape cannot be read (no config.json): no plan"))
            : TypedResults.Ok(PlanDto.Of(launches.Device, verdict));
    }

    static async Task<IResult> Edit(long id, HttpRequest http, ExperimentService service, IOptions<JsonOptions> json)
    {
        var (request, error) = await ReadAsync<EditExperimentRequest>(http, json);
        if (request is null) return error!;
        var result = await service.EditAsync(id, request);
        return !result.Found ? NotFound(id)
            : result.Experiment is { } edited ? TypedResults.Ok(edited.ToDto())
            : TypedResults.ValidationProblem(result.Errors);
    }

    static async Task<IResult> Cancel(long id, ExperimentService service) => await service.CancelAsync(id) switch
    {
        CancelOutcome.NotFound => NotFound(id),
        CancelOutcome.Cancelled or CancelOutcome.Stopping => TypedResults.Accepted($"/api/experiments/{id}"),
        CancelOutcome.AlreadyFinished => TypedResults.Problem($"experiment {id} has already finished", statusCode: 409),
        _ => TypedResults.Problem($"experiment {id} is running in another process (headless run); stop it there", statusCode: 409),
    };

    static async Task<IResult> Resume(long id, ExperimentService service, bool discardReviews = false) => await service.ResumeAsync(id, discardReviews) switch
    {
        (ResumeOutcome.ReviewsWouldBeLost, var count) => TypedResults.Problem(
            $"{count} reviewed verdicts and samples of experiment {id} come after its saved state and would be deleted: export them first " +
            $"(/api/experiments/{id}/export/verdicts.jsonl and samples.jsonl), then resume with ?discardReviews=true", statusCode: 409),
        (ResumeOutcome.NotFound, _) => NotFound(id),
        (ResumeOutcome.Queued, var step) => TypedResults.Accepted($"/api/experiments/{id}", new ResumedExperiment(id, step)),
        (ResumeOutcome.NoState, _) => TypedResults.Problem($"experiment {id} saved no resumable state (checkpointEvery 0, or it stopped before its first save)", statusCode: 409),
        _ => TypedResults.Problem($"experiment {id} is not stopped: only a Failed or Cancelled run can be resumed", statusCode: 409),
    };

    static async Task<IResult> Delete(long id, ExperimentService service) => await service.DeleteAsync(id) switch
    {
        (DeleteOutcome.NotFound, _) => NotFound(id),
        (DeleteOutcome.Deleted, _) => TypedResults.NoContent(),
        (DeleteOutcome.Active, _) => TypedResults.Problem($"experiment {id} is queued or running: cancel it first", statusCode: 409),
        (_, var children) => TypedResults.Problem(
            $"experiment {id} is the parent of {string.Join(", ", children.Select(c => "#" + c))}, which start from its checkpoint: delete those first", statusCode: 409),
    };

    // A checkpoint is a folder: it downloads as a zip; a single file downloads as itself.
    static async Task<IResult> Download(long id, long checkpointId, WebLabDb db, LabPaths paths)
    {
        var c = await db.Checkpoints.AsNoTracking().FirstOrDefaultAsync(c => c.Id == checkpointId && c.ExperimentId == id);
        if (c is null) return TypedResults.Problem($"no checkpoint {checkpointId} in experiment {id}", statusCode: 404);
        var path = Path.IsPathRooted(c.Path) ? c.Path : Path.Combine(paths.RunDirectory(id), c.Path);
        if (File.Exists(path)) return TypedResults.PhysicalFile(path, "application/octet-stream", Path.GetFileName(path));
        if (!Directory.Exists(path)) return TypedResults.Problem($"checkpoint files are gone: {c.Path}", statusCode: 404);
        var zip = new MemoryStream();
        ZipFile.CreateFromDirectory(path, zip, CompressionLevel.Fastest, includeBaseDirectory: false);
        zip.Position = 0;
        return TypedResults.File(zip, "application/zip", $"experiment-{id}-step-{c.Step}-{c.Kind}.zip");
    }

    internal static ProblemHttpResult NotFound(long id) => TypedResults.Problem($"no experiment {id}", statusCode: 404, title: "Not Found");
}
