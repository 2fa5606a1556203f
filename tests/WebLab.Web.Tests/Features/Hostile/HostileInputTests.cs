// Hostile input, end to end on a real lab served by Kestrel on loopback (its real request limits): oversized, malformed,
// wrong types, unknown keys, traversal paths, symbolic-link escapes, markup in names, tags, prompts and reviews, sent
// through the API; and the same kinds of files through the importers the form and runs use. Every answer must be a 4xx
// with a message that names what is wrong — never a 500, never the serializer's own text — and nothing may be written.
// The table of what each input got is saved as TestResults/hostile-inputs.md (the README shows one run of it).
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Training.Domains.Chat;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Grpo;
using WebLab.Web.Data;
using WebLab.Web.Features.Review;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Hostile;

public sealed class HostileInputTests : IAsyncLifetime
{
    readonly LabFactory lab = new(MethodCatalog.Default);
    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await lab.DisposeAsync();

    sealed record Row(string Input, string Method, string Url, string? Body, string ContentType = "application/json");

    static string Json(object o) => System.Text.Json.JsonSerializer.Serialize(o);
    static string Create(object overrides, string method = "sft") => Json(new { method, overrides });

    [Fact]
    public async Task Every_hostile_input_gets_a_clear_4xx_and_nothing_is_written()
    {
        lab.UseKestrel(0);
        lab.StartServer();
        var baseUrl = lab.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(baseUrl) };

        var run = await lab.SeedRunAsync("target", "sft", steps: 5, rows: (db, id) =>
        {
            db.Verdicts.Add(new Verdict { ExperimentId = id, Step = 5, Split = "rev", Prompt = "rev ab", TrainedAnswer = "ba", BaseAnswer = "ab", Judge = "j", Outcome = "win", Rationale = "r" });
            db.Samples.Add(new WebLab.Web.Features.Experiments.Records.Sample { ExperimentId = id, Step = 5, Role = "solver", Prompt = "rev ab", Completion = "ba" });
        });
        long verdict, sample;
        await using (var db = await lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync())
            (verdict, sample) = (await db.Verdicts.Select(v => v.Id).SingleAsync(), await db.Samples.Select(s => s.Id).SingleAsync());
        var escape = Path.Combine(lab.DataDirectory, "escape");
        Directory.CreateSymbolicLink(escape, "/etc");
        var script = "<img src=x onerror=alert(1)>";

        Row[] rows =
        [
            new("empty body", "POST", "/api/experiments", ""),
            new("JSON null", "POST", "/api/experiments", "null"),
            new("JSON array instead of an object", "POST", "/api/experiments", "[]"),
            new("truncated JSON", "POST", "/api/experiments", "{\"method\":"),
            new("form-encoded, not JSON", "POST", "/api/experiments", "method=sft", "application/x-www-form-urlencoded"),
            new("no method", "POST", "/api/experiments", "{}"),
            new("unknown method", "POST", "/api/experiments", Json(new { method = "rm -rf /" })),
            new("method as a number", "POST", "/api/experiments", Json(new { method = 5 })),
            new("unknown top-level key", "POST", "/api/experiments", Json(new { method = "sft", evil = true })),
            new("name of 10,000 characters", "POST", "/api/experiments", Json(new { method = "sft", name = new string('n', 10_000) })),
            new("name with a line break", "POST", "/api/experiments", Json(new { method = "sft", name = "a\nb" })),
            new("name with a NUL byte", "POST", "/api/experiments", Json(new { method = "sft", name = "a\0b" })),
            new("overrides as a string", "POST", "/api/experiments", Json(new { method = "sft", overrides = "steps=5" })),
            new("unknown option", "POST", "/api/experiments", Create(new { stepz = 5 })),
            new("steps as text", "POST", "/api/experiments", Create(new { steps = "abc" })),
            new("steps negative", "POST", "/api/experiments", Create(new { steps = -5 })),
            new("steps beyond 32 bits", "POST", "/api/experiments", Create(new { steps = 99_999_999_999L })),
            new("steps 1e400", "POST", "/api/experiments", "{\"method\":\"sft\",\"overrides\":{\"steps\":1e400}}"),
            new("learningRate as an array", "POST", "/api/experiments", Create(new { learningRate = new[] { 1 } })),
            new("learningRate out of range", "POST", "/api/experiments", Create(new { learningRate = 5 })),
            new("enum value unknown", "POST", "/api/experiments", Create(new { kl = "K9" }, "grpo")),
            new("model shape that cannot be built", "POST", "/api/experiments", Create(new { width = 64, heads = 3 })),
            new("notes of 20,000 characters", "POST", "/api/experiments", Json(new { method = "sft", notes = new string('x', 20_000) })),
            new("parent that does not exist", "POST", "/api/experiments", Json(new { method = "sft", parentExperimentId = 999_999 })),
            new("parent as text", "POST", "/api/experiments", Json(new { method = "sft", parentExperimentId = "x" })),
            new("tag with markup", "POST", "/api/experiments", Json(new { method = "sft", tags = new[] { script } })),
            new("eleven tags", "POST", "/api/experiments", Json(new { method = "sft", tags = Enumerable.Range(0, 11).Select(i => $"t{i}") })),
            new("tags as a string", "POST", "/api/experiments", Json(new { method = "sft", tags = "a,b" })),
            new("preset that does not exist", "POST", "/api/experiments", Json(new { method = "sft", preset = "../../etc" })),
            new("domain as a traversal path", "POST", "/api/experiments", Create(new { domain = "../../etc" }, "grpo")),
            new("model folders outside the roots", "POST", "/api/experiments", Create(new { domain = "chat", model = "/etc", rewardModel = "/root", evalSet = "/etc/passwd" }, "lsp")),
            new("evaluation set by ../ traversal", "POST", "/api/experiments", Create(new { domain = "chat", model = "data/../../../../etc", rewardModel = "data/../..", evalSet = "data/../../../../../etc/shadow" }, "lsp")),
            new("symbolic link inside the data folder to /etc", "POST", "/api/experiments", Create(new { domain = "chat", model = escape, rewardModel = escape, evalSet = Path.Combine(escape, "passwd") }, "lsp")),
            new("prompt set holding markup", "POST", "/api/experiments", Create(new { promptSet = new[] { script } }, "grpo")),
            new("prompt set of 100,001 prompts", "POST", "/api/experiments", Create(new { promptSet = Enumerable.Repeat("rev ab", 100_001) }, "grpo")),
            new("prompt of 10,000 characters", "POST", "/api/experiments", Create(new { promptSet = new[] { "rev " + new string('a', 10_000) } }, "grpo")),
            new("body of 9 MB", "POST", "/api/experiments", Json(new { method = "sft", notes = new string('x', 9 * 1024 * 1024) })),
            new("edit with nothing to change", "PATCH", $"/api/experiments/{run}", "{}"),
            new("rename to empty", "PATCH", $"/api/experiments/{run}", Json(new { name = "" })),
            new("rename with a carriage return", "PATCH", $"/api/experiments/{run}", Json(new { name = "a\rb" })),
            new("edit with a misspelt key", "PATCH", $"/api/experiments/{run}", Json(new { nmae = "x" })),
            new("tag with a space", "PATCH", $"/api/experiments/{run}", Json(new { tags = new[] { "a b" } })),
            new("notes of 20,000 characters (edit)", "PATCH", $"/api/experiments/{run}", Json(new { notes = new string('x', 20_000) })),
            new("edit of a run that does not exist", "PATCH", "/api/experiments/999999", Json(new { name = "x" })),
            new("review status unknown", "POST", $"/api/verdicts/{verdict}/review", Json(new { status = "maybe" })),
            new("review status as a number", "POST", $"/api/verdicts/{verdict}/review", Json(new { status = 1 })),
            new("review status \"1\"", "POST", $"/api/verdicts/{verdict}/review", Json(new { status = "1" })),
            new("review comment of 5,000 characters", "POST", $"/api/verdicts/{verdict}/review", Json(new { status = "agree", comment = new string('c', 5000) })),
            new("reviewer name of 65 characters", "POST", $"/api/verdicts/{verdict}/review", Json(new { status = "agree", reviewer = new string('r', 65) })),
            new("reviewer name with a line break", "POST", $"/api/verdicts/{verdict}/review", Json(new { status = "agree", reviewer = "ann\nbob" })),
            new("review with an unknown key", "POST", $"/api/verdicts/{verdict}/review", Json(new { status = "agree", score = 5 })),
            new("review as malformed JSON", "POST", $"/api/verdicts/{verdict}/review", "{status: agree}"),
            new("review of a verdict that does not exist", "POST", "/api/verdicts/999999/review", Json(new { status = "agree" })),
            new("sample review with an empty status", "POST", $"/api/samples/{sample}/review", Json(new { status = "" })),
            new("sweep over three options", "POST", "/api/sweeps", Json(new { method = "sft", axes = new object[] { new { option = "seed", values = new[] { 1 } }, new { option = "steps", values = new[] { 1 } }, new { option = "layers", values = new[] { 1 } } } })),
            new("sweep of 40 runs", "POST", "/api/sweeps", Json(new { method = "sft", axes = new object[] { new { option = "seed", values = Enumerable.Range(1, 8) }, new { option = "steps", values = Enumerable.Range(1, 5) } } })),
            new("sweep value null", "POST", "/api/sweeps", "{\"method\":\"sft\",\"axes\":[{\"option\":\"seed\",\"values\":[null]}]}"),
            new("sweep with one bad point", "POST", "/api/sweeps", Json(new { method = "sft", axes = new object[] { new { option = "learningRate", values = new[] { 1e-3, 7.0 } } } })),
            new("status filter with markup", "GET", "/api/experiments?status=" + Uri.EscapeDataString(script), null),
            new("search of 1,000 characters", "GET", "/api/experiments?q=" + new string('q', 1000), null),
            new("experiment id not a number", "GET", "/api/experiments/abc", null),
            new("experiment id beyond 64 bits", "GET", "/api/experiments/99999999999999999999", null),
            new("image source as a traversal path", "GET", "/api/images/" + Uri.EscapeDataString("../../etc/passwd"), null),
            new("image source as a file URL", "GET", "/api/images/" + Uri.EscapeDataString("file:///etc/passwd"), null),
            new("image source with a garbled scene code", "GET", "/api/images/" + Uri.EscapeDataString("tinyscenes:zz;;"), null),
            new("export name as a traversal path", "GET", $"/api/experiments/{run}/export/" + Uri.EscapeDataString("../../weblab.db"), null),
            new("annotations at step \"abc\"", "GET", $"/api/experiments/{run}/export/alpaca_eval_annotations.json?step=abc", null),
            new("checkpoint that does not exist", "GET", $"/api/experiments/{run}/checkpoints/999/download", null),
            new("resume a run that does not exist", "POST", "/api/experiments/999999/resume", null),
            new("cancel a finished run", "POST", $"/api/experiments/{run}/cancel", null),
            new("delete a run that does not exist", "DELETE", "/api/experiments/999999", null),
        ];

        var table = new StringBuilder("| # | hostile input | sent to | answer |\n|---|---|---|---|\n");
        var failures = new List<string>();
        int n = 0;
        foreach (var row in rows)
        {
            using var request = new HttpRequestMessage(new HttpMethod(row.Method), row.Url);
            if (row.Body is not null) request.Content = new StringContent(row.Body, Encoding.UTF8, row.ContentType);
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var message = Message(text);
            table.Append($"| {++n} | {row.Input} | `{row.Method} {Short(row.Url, 60)}` | {(int)response.StatusCode}: {Cell(message)} |\n");
            if ((int)response.StatusCode is < 400 or >= 500) failures.Add($"{row.Input}: {(int)response.StatusCode} {Short(text, 300)}");
            else if (message.Length == 0 && (int)response.StatusCode != 404) failures.Add($"{row.Input}: {(int)response.StatusCode} without a message");
            else if (text.Contains("could not be converted", StringComparison.Ordinal) || text.Contains("LineNumber", StringComparison.Ordinal)
                || text.Contains("   at ", StringComparison.Ordinal))
                failures.Add($"{row.Input}: the serializer's or a stack's words: {Short(text, 300)}");
        }

        // the importers the form (a prompt file) and a chat run (an evaluation file) use
        (string Input, string Answer)[] imports =
        [
            ("prompt file of binary bytes", string.Join("; ", PromptSetFile.Parse("\u0001\u0002\u00ff\u0000garbage\n\u0007", "x.txt").Errors)),
            ("prompt file: JSON Lines with a number as prompt", string.Join("; ", PromptSetFile.Parse("{\"prompt\": 5}\n{\"prompt\":\"rev ab\"}", "x.jsonl").Errors)),
            ("prompt file: JSON Lines, one line malformed", string.Join("; ", PromptSetFile.Parse("{\"prompt\":\"rev ab\"}\n{\"prompt\":", "x.jsonl").Errors)),
            ("prompt file of 100,001 lines", string.Join("; ", PromptSetFile.Parse(string.Join('\n', Enumerable.Repeat("rev ab", 100_001)), "x.txt").Errors)),
            ("evaluation file that is not AlpacaEval", Refusal(() => EvalSetFile.Parse("{\"text\": 1}", ".json"))),
            ("evaluation item whose instruction is a number", Refusal(() => EvalSetFile.Parse("[{\"instruction\": 5}]", ".json"))),
            ("evaluation split name holding markup", Refusal(() => EvalSetFile.Parse("[{\"instruction\": \"hi\", \"dataset\": \"<script>\"}]", ".json"))),
            ("evaluation file of another format", Refusal(() => EvalSetFile.Parse("a,b", ".csv"))),
        ];
        foreach (var (input, answer) in imports)
        {
            table.Append($"| {++n} | {input} | importer | refused: {Cell(answer)} |\n");
            if (answer.Length == 0) failures.Add($"{input}: accepted");
        }

        Directory.CreateDirectory(BrowserTest.ResultsDirectory);
        await File.WriteAllTextAsync(Path.Combine(BrowserTest.ResultsDirectory, "hostile-inputs.md"), table.ToString());
        Assert.True(n >= 50, $"only {n} inputs");
        Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n\n" + table);

        // nothing half-written: the seeded run is as it was, and no run, sweep or review was added
        await using var check = await lab.Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        Assert.Equal(1, await check.Experiments.CountAsync());
        Assert.Equal(0, await check.Sweeps.CountAsync());
        Assert.Equal(0, await check.ReviewEvents.CountAsync());
        Assert.Equal(0, await check.AuditEvents.CountAsync());
        var target = await check.Experiments.SingleAsync();
        Assert.Equal(("target", (string?)null, (string?)null), (target.Name, target.Notes, target.Tags));
        Assert.Null((await check.Verdicts.SingleAsync()).ReviewStatus);
    }

    static string Refusal(Action parse)
    {
        try { parse(); return ""; }
        catch (Exception e) when (e is FormatException or InvalidDataException or ArgumentException or System.Text.Json.JsonException) { return e.Message; }
    }

    /// <summary>The problem's own words: its errors by field, else its detail or title.</summary>
    static string Message(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is not JsonObject o) return "";
            if (o["errors"] is JsonObject errors)
                return string.Join("; ", errors.Select(kv => $"{kv.Key}: {string.Join(" ", kv.Value!.AsArray().Select(m => (string?)m))}"));
            return (string?)o["detail"] ?? (string?)o["title"] ?? "";
        }
        catch (System.Text.Json.JsonException) { return ""; }
    }

    static string Short(string s, int max) => s.Length <= max ? s : s[..max] + "…";
    static string Cell(string s) => Short(s.Replace("|", "\\|").Replace("\n", " ").Replace("<", "&lt;"), 160);
}
