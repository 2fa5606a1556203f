// The real sft method through the real app: POST {"method":"sft","preset":"tiny-cpu"} runs to Succeeded with a
// falling loss, evaluation accuracy and stored samples; out-of-range options are refused before anything is written.
using System.Net;
using System.Net.Http.Json;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class SftExperimentTests() : LabTest(MethodCatalog.Default)
{
    [Fact]
    public async Task Tiny_cpu_sft_succeeds_with_falling_loss_accuracy_and_samples()
    {
        var response = await Http.PostAsJsonAsync("/api/experiments", new { method = "sft", preset = "tiny-cpu" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (long)(await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>())!["id"]!;

        var done = await Http.WaitForStatusAsync(id, "Succeeded", seconds: 180);

        Assert.Equal(800, (long)done["step"]!);
        var loss = (await Http.ListAsync($"/api/experiments/{id}/metrics?name=train/loss")).Select(m => (double)m!["value"]!).ToList();
        Assert.Equal(800, loss.Count);
        Assert.True(loss.TakeLast(50).Average() < loss.Take(50).Average() - 1.0, $"loss {loss.Take(50).Average():F3} → {loss.TakeLast(50).Average():F3}");
        var accuracy = await Http.ListAsync($"/api/experiments/{id}/metrics?name=eval/accuracy");
        Assert.Equal([200, 400, 600, 800], accuracy.Select(a => (int)a!["step"]!));
        Assert.Contains(await Http.ListAsync($"/api/experiments/{id}/samples?step=800&role=eval"), s => s!["correct"] is not null);
        Assert.Single(await Http.ListAsync($"/api/experiments/{id}/checkpoints"));
    }

    [Theory]
    [InlineData("""{"method":"sft","preset":"tiny-cpu","overrides":{"learningRate":-0.001}}""", "learningRate")]
    [InlineData("""{"method":"sft","preset":"tiny-cpu","overrides":{"steps":1000000000000}}""", "steps")]
    [InlineData("""{"method":"sft","preset":"tiny-cpu","overrides":{"batchSize":0}}""", "batchSize")]
    public async Task Out_of_range_sft_options_get_400_naming_the_field_and_write_nothing(string body, string field)
    {
        var response = await Http.PostAsync("/api/experiments", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(field, await response.Content.ReadAsStringAsync());
        Assert.Empty(await Http.ListAsync("/api/experiments"));
    }
}
