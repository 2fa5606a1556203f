// Small helpers over the REST API for tests: launch, read, wait for a status.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace WebLab.Web.Tests.Infrastructure;

public static class LabApi
{
    /// <summary>POSTs a run with the tiny-cpu preset and returns its id; the test method's overrides default to <see cref="TestMethods.Quick"/>.</summary>
    public static async Task<long> LaunchAsync(this HttpClient http, JsonObject? overrides = null, string method = TestMethods.Name, string? name = null,
        long? parentExperimentId = null, string? device = null)
    {
        overrides ??= method == TestMethods.Name ? TestMethods.Quick() : null;
        var response = await http.PostAsJsonAsync("/api/experiments", new { name, method, preset = TestMethods.Preset, overrides, parentExperimentId, device });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<long>();
    }

    public static async Task<JsonObject> ExperimentAsync(this HttpClient http, long id) =>
        (await http.GetFromJsonAsync<JsonObject>($"/api/experiments/{id}"))!;

    public static Task<JsonObject> WaitForAsync(this HttpClient http, long id, Func<JsonObject, bool> condition, int seconds = 20) =>
        Poll.UntilAsync(() => http.ExperimentAsync(id), condition, e => $"experiment {id} never matched; last: {e.ToJsonString()}", seconds);

    public static Task<JsonObject> WaitForStatusAsync(this HttpClient http, long id, string status, int seconds = 20) =>
        http.WaitForAsync(id, e => (string?)e["status"] == status, seconds);

    public static async Task<JsonArray> ListAsync(this HttpClient http, string url) => (await http.GetFromJsonAsync<JsonArray>(url))!;

    public static string? Status(this JsonObject e) => (string?)e["status"];
}
