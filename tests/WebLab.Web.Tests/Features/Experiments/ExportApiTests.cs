// Whole-run exports: every metric point as a CSV row, every sample and verdict (with its review) as a JSON line; 404 for
// an unknown id.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ExportApiTests : LabTest
{
    [Fact]
    public async Task A_finished_run_exports_all_its_metrics_samples_and_reviewed_verdicts()
    {
        var id = await Http.LaunchAsync(TestMethods.Quick(steps: 30, stepDelayMs: 5));
        await Http.WaitForStatusAsync(id, "Succeeded");
        var verdict = (await Http.ListAsync($"/api/experiments/{id}/verdicts")).Single()!;
        var review = await Http.PostAsJsonAsync($"/api/verdicts/{(long)verdict["id"]!}/review", new { status = "disagree", comment = "3, \"surely\"" });
        Assert.Equal(HttpStatusCode.OK, review.StatusCode);

        var csv = await Http.GetAsync($"/api/experiments/{id}/export/metrics.csv");
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"experiment-{id}-metrics.csv", csv.Content.Headers.ContentDisposition!.FileNameStar ?? csv.Content.Headers.ContentDisposition.FileName);
        var rows = (await csv.Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        Assert.Equal("step,name,value,time", rows[0]);
        Assert.Equal(30, rows.Length - 1);
        var api = await Http.ListAsync($"/api/experiments/{id}/metrics");
        Assert.Equal(api.Select(m => $"{(long)m!["step"]!},{(string)m["name"]!},{(double)m["value"]!:R}"), rows[1..].Select(r => string.Join(',', r.Split(',')[..3])));

        var samples = (await Http.GetStringAsync($"/api/experiments/{id}/export/samples.jsonl")).TrimEnd('\n').Split('\n').Select(l => JsonNode.Parse(l)!).ToList();
        Assert.Equal(Enumerable.Range(1, 30), samples.Select(s => (int)s["step"]!));
        Assert.Equal("2+1=?", (string)samples[1]["prompt"]!);

        var verdicts = (await Http.GetStringAsync($"/api/experiments/{id}/export/verdicts.jsonl")).TrimEnd('\n').Split('\n').Select(l => JsonNode.Parse(l)!).ToList();
        var v = Assert.Single(verdicts);
        Assert.Equal(("win", "3, \"surely\""), ((string)v["verdict"]!, (string)v["reviewComment"]!));
        Assert.Equal("disagree", (string)v["reviewStatus"]!, ignoreCase: true);

        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/experiments/999999/export/metrics.csv")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/experiments/999999/export/verdicts.jsonl")).StatusCode);
    }

    [Fact]
    public void Csv_rows_quote_only_what_needs_quoting_and_keep_full_precision()
    {
        var t = new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.FromHours(1));
        Assert.Equal("7,train/loss,0.1,2026-11-28T11:00:00.0000000+00:00", ExportApi.CsvRow(7, "train/loss", 0.1, t));
        Assert.Equal("7,\"a,b \"\"c\"\"\",0.30000000000000004,2026-11-28T11:00:00.0000000+00:00", ExportApi.CsvRow(7, "a,b \"c\"", 0.1 + 0.2, t));
    }
}
