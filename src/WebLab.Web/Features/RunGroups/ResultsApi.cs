// GET /api/results?group=method,domain,preset&tag=T&metrics=a,b&format=json|md|csv: the results view's table, for scripts
// and for the README (its tables are pasted from the Markdown form).
using WebLab.Web.Features.Accounts;

namespace WebLab.Web.Features.RunGroups;

public static class ResultsApi
{
    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/results", Get).WithTags("Results").RequireAuthorization(LabPolicies.Read);
        app.MapGet("/api/results/paired", Paired).WithTags("Results").RequireAuthorization(LabPolicies.Read);
        return app;
    }

    /// <summary>GET /api/results/paired?a=5@last,6@last&amp;b=5@0,6@0&amp;flag=correct|shortcut_oracle|shortcut_start_model[&amp;split=S]:
    /// evaluations paired in order (run@step, "last" or no step: the run's last evaluation), items matched by question and
    /// image, discordant items pooled into one exact sign test.</summary>
    static async Task<IResult> Paired(ResultsService service, string? a, string? b, string? flag, string? split, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var sideA = Sides(a, "a", errors);
        var sideB = Sides(b, "b", errors);
        flag ??= "correct";
        if (!ResultsService.Flags.Contains(flag)) errors["flag"] = [$"one of {string.Join(", ", ResultsService.Flags)}"];
        if (sideA.Count != sideB.Count && errors.Count == 0) errors["b"] = [$"side a has {sideA.Count} evaluations and side b {sideB.Count}: they pair in order"];
        if (split is { Length: > 100 }) errors["split"] = ["at most 100 characters"];
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var loadedA = new List<(string, IReadOnlyList<PairedItem>)>();
        var loadedB = new List<(string, IReadOnlyList<PairedItem>)>();
        foreach (var (side, loaded, key) in new[] { (sideA, loadedA, "a"), (sideB, loadedB, "b") })
            foreach (var (run, step) in side)
            {
                if (await service.EvaluationAsync(run, step, flag, split, ct) is not { } e)
                    return Results.ValidationProblem(new Dictionary<string, string[]> { [key] = [$"run {run} has no evaluation {(step is null ? "" : $"at step {step}")}".Trim()] });
                loaded.Add(e);
            }
        var result = PairedTest.Of(loadedA, loadedB);
        return Results.Ok(new { flag, result.Pairs, result.Items, result.OnlyA, result.OnlyB, result.ShareA, result.ShareB, signTestP = result.SignTestP });
    }

    /// <summary>"5@last,6@0,7" → [(5, null), (6, 0), (7, null)]; errors keyed by the parameter.</summary>
    static List<(long Run, long? Step)> Sides(string? text, string key, Dictionary<string, string[]> errors)
    {
        var sides = new List<(long, long?)>();
        foreach (var part in Names(text))
        {
            var bits = part.Split('@');
            if (bits.Length > 2 || !long.TryParse(bits[0], out var run)) { errors[key] = [$"'{part}' is not RUN or RUN@STEP"]; return []; }
            long? step = bits.Length == 1 || bits[1] == "last" ? null : long.TryParse(bits[1], out var s) && s >= 0 ? s : -1;
            if (step == -1) { errors[key] = [$"'{part}': the step is a whole number or 'last'"]; return []; }
            sides.Add((run, step));
        }
        if (sides.Count == 0 && !errors.ContainsKey(key)) errors[key] = ["one or more RUN@STEP, comma-separated"];
        if (sides.Count > 50) errors[key] = ["at most 50 evaluations a side"];
        return sides;
    }

    /// <summary>Comma-separated names, trimmed, without blanks or repeats.</summary>
    public static IReadOnlyList<string> Names(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct()];

    static async Task<IResult> Get(ResultsService service, string? group, string? tag, string? metrics, string? format, CancellationToken ct)
    {
        var by = Names(group) is { Count: > 0 } g ? g : ResultsTable.DefaultGroup;
        var asked = Names(metrics);
        var errors = new Dictionary<string, string[]>();
        if (by.Count > 20 || by.Any(n => n.Length > 100)) errors["group"] = ["at most 20 names of at most 100 characters"];
        if (asked.Count > 20 || asked.Any(n => n.Length > 200)) errors["metrics"] = ["at most 20 metric names of at most 200 characters"];
        if (tag is { Length: > 100 }) errors["tag"] = ["at most 100 characters"];
        if (format is not (null or "json" or "md" or "csv")) errors["format"] = ["json (default), md or csv"];
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var groups = ResultsTable.Group(await service.RunsAsync(tag, asked, ct), by, asked);
        return format switch
        {
            "md" => Results.Text(ResultsTable.Markdown(groups, asked), "text/markdown; charset=utf-8"),
            "csv" => Results.Text(ResultsTable.Csv(groups, asked), "text/csv; charset=utf-8"),
            _ => Results.Ok(groups.Select(x => new
            {
                label = x.Label,
                key = x.Key.ToDictionary(k => k.Name, k => k.Value),
                runs = x.Runs.Select(r => new { r.Id, r.Name, r.Seed, r.EvalSeed, r.Step, wins = r.Tally?.Wins, ties = r.Tally?.Ties, losses = r.Tally?.Losses,
                    winRate = r.Tally?.WinRate, signTestP = r.Tally?.SignTestP, metrics = r.Metrics }),
                winRate = x.WinRate,
                pooled = x.Pooled is { } p ? new { p.Wins, p.Ties, p.Losses, winRate = p.WinRate, signTestP = p.SignTestP } : null,
                metrics = x.Metrics,
            })),
        };
    }
}
