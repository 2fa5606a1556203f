// GET /api/results?group=method,domain,preset&tag=T&metrics=a,b&format=json|md|csv: the results view's table, for scripts
// and for the README (its tables are pasted from the Markdown form).
using WebLab.Web.Features.Accounts;

namespace WebLab.Web.Features.RunGroups;

public static class ResultsApi
{
    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/results", Get).WithTags("Results").RequireAuthorization(LabPolicies.Read);
        return app;
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
