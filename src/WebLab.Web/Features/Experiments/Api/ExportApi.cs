// Whole-run exports, streamed row by row (no cap, flat memory): metrics as CSV, samples and verdicts (with their reviews)
// as JSON Lines, every review as given (the history), and the run itself (options, provenance, times, tags) as run.json.
// GET /api/experiments/{id}/export/{run.json | metrics.csv | samples.jsonl | verdicts.jsonl | reviews.jsonl}; unknown id → 404.
// One evaluation's verdicts in AlpacaEval's annotation format: …/export/alpaca_eval_annotations.json[?step=N].
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WebLab.Web.Data;

namespace WebLab.Web.Features.Experiments;

public static class ExportApi
{
    static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IEndpointRouteBuilder MapExportApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/experiments/{id:long}/export").WithTags("Export");
        api.MapGet("/run.json", async (long id, WebLabDb db) =>
            await db.Experiments.AsNoTracking().FirstOrDefaultAsync(e => e.Id == id) is { } e
                ? Results.File(JsonSerializer.SerializeToUtf8Bytes(e.ToDto(), new JsonSerializerOptions(Json) { WriteIndented = true }), "application/json", $"experiment-{id}-run.json")
                : ExperimentsApi.NotFound(id));
        api.MapGet("/metrics.csv", (long id, WebLabDb db) => Export(id, db, "metrics.csv", "text/csv", async (w, ct) =>
        {
            await w.WriteLineAsync("step,name,value,time");
            await foreach (var m in db.MetricPoints.AsNoTracking().Where(m => m.ExperimentId == id).OrderBy(m => m.Id).AsAsyncEnumerable().WithCancellation(ct))
                await w.WriteLineAsync(CsvRow(m.Step, m.Name, m.Value, m.Time));
        }));
        api.MapGet("/samples.jsonl", (long id, WebLabDb db) => Export(id, db, "samples.jsonl", "application/jsonl", async (w, ct) =>
        {
            await foreach (var s in db.Samples.AsNoTracking().Where(s => s.ExperimentId == id).OrderBy(s => s.Id).AsAsyncEnumerable().WithCancellation(ct))
            {
                var line = JsonSerializer.SerializeToNode(ExperimentDtos.ToDto(s), Json)!.AsObject();
                line.Remove("extraJson");
                line["extra"] = ParseOrText(s.ExtraJson);                 // the recipe's JSON as JSON, not as an escaped string
                await w.WriteLineAsync(line.ToJsonString());
            }
        }));
        api.MapGet("/verdicts.jsonl", (long id, WebLabDb db) => Export(id, db, "verdicts.jsonl", "application/jsonl", async (w, ct) =>
        {
            await foreach (var v in db.Verdicts.AsNoTracking().Where(v => v.ExperimentId == id).OrderBy(v => v.Id).AsAsyncEnumerable().WithCancellation(ct))
                await w.WriteLineAsync(JsonSerializer.Serialize(ExperimentDtos.ToDto(v), Json));
        }));
        api.MapGet("/audit.jsonl", (long id, WebLabDb db) => Export(id, db, "audit.jsonl", "application/jsonl", async (w, ct) =>
        {
            foreach (var a in await Audit.AuditTrail.OfAsync(db, id, ct)) await w.WriteLineAsync(JsonSerializer.Serialize(a, Json));
        }));
        api.MapGet("/reviews.jsonl", (long id, WebLabDb db) => Export(id, db, "reviews.jsonl", "application/jsonl", async (w, ct) =>
        {
            await foreach (var r in db.ReviewEvents.AsNoTracking().Where(r => r.ExperimentId == id).OrderBy(r => r.Id).AsAsyncEnumerable().WithCancellation(ct))
                await w.WriteLineAsync(JsonSerializer.Serialize(ExperimentDtos.ToDto(r), Json));
        }));
        // AlpacaEval's annotation format (a JSON list; output_1 the base model's, output_2 this run's, preference 1 / 1.5 / 2)
        // for one evaluation: ?step=N, or the last one.
        api.MapGet("/alpaca_eval_annotations.json", async (long id, string? step, WebLabDb db) =>
        {
            long? wanted = null;
            if (step is not null)
            {
                if (!long.TryParse(step, System.Globalization.NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["step"] = [$"a step is a whole number ≥ 0; got '{(step.Length > 40 ? step[..40] + "…" : step)}'"] });
                wanted = parsed;
            }
            var experiment = await db.Experiments.AsNoTracking().Where(e => e.Id == id).Select(e => new { e.Name }).SingleOrDefaultAsync();
            if (experiment is null) return ExperimentsApi.NotFound(id);
            var at = wanted ?? await db.Verdicts.Where(v => v.ExperimentId == id).MaxAsync(v => (long?)v.Step);
            if (at is null) return Results.Problem(statusCode: 404, title: "No verdicts", detail: $"experiment {id} has no evaluation verdicts yet");
            var verdicts = await db.Verdicts.AsNoTracking().Where(v => v.ExperimentId == id && v.Step == at).OrderBy(v => v.Id).ToListAsync();
            if (verdicts.Count == 0) return Results.Problem(statusCode: 404, title: "No verdicts", detail: $"experiment {id} has no verdicts at step {at}");
            var json = Training.Domains.Chat.EvalSetFile.Annotations(verdicts.Select(v => new Training.Experiments.VerdictRecord(
                v.Step, v.Split, v.Prompt, v.TrainedAnswer, v.BaseAnswer, v.TrainedShownFirst, v.Judge, Training.Experiments.VerdictOutcomes.Parse(v.Outcome), v.Rationale)), experiment.Name);
            return Results.File(Encoding.UTF8.GetBytes(json), "application/json", $"experiment-{id}-step-{at}-alpaca_eval_annotations.json");
        });
        return app;
    }

    static async Task<IResult> Export(long id, WebLabDb db, string what, string contentType, Func<StreamWriter, CancellationToken, Task> write)
    {
        if (!await db.Experiments.AnyAsync(e => e.Id == id)) return ExperimentsApi.NotFound(id);
        return Results.Stream(async body =>
        {
            await using var w = new StreamWriter(body, new UTF8Encoding(false)) { NewLine = "\n" };
            await write(w, CancellationToken.None);
        }, contentType, $"experiment-{id}-{what}");
    }

    /// <summary>One CSV line: invariant numbers (round-trip), ISO 8601 time, the name quoted when it needs to be.</summary>
    public static string CsvRow(long step, string name, double value, DateTimeOffset time) =>
        string.Join(',', step.ToString(CultureInfo.InvariantCulture), CsvField(name), value.ToString("R", CultureInfo.InvariantCulture),
            time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));

    static string CsvField(string s) => s.IndexOfAny([',', '"', '\n', '\r']) < 0 ? s : "\"" + s.Replace("\"", "\"\"") + "\"";

    static JsonNode? ParseOrText(string? json)
    {
        if (json is null) return null;
        try { return JsonNode.Parse(json); }
        catch (JsonException) { return JsonValue.Create(json); }
    }
}
