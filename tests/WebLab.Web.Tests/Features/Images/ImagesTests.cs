// Sample images: the endpoint draws a scene code as the PNG training saw (cached as immutable), refuses a bad code with
// the reason and anything that is not a drawn source with 404 (nothing is read from a path a request names); and in
// Chromium the Samples tab of a vision-sr1 run shows each sample's image beside its description.
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Images;

public sealed class ImagesApiTests() : LabTest()
{
    [Fact]
    public async Task A_scene_code_is_drawn_as_png_and_anything_else_is_refused()
    {
        var response = await Http.GetAsync("/api/images/" + Uri.EscapeDataString("tinyscenes:crB00;sbS11"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType!.MediaType);
        Assert.Contains("immutable", response.Headers.CacheControl!.ToString());
        Assert.Equal(SceneRenderer.Png(SceneCode.Decode("crB00;sbS11")), await response.Content.ReadAsByteArrayAsync());

        var bad = await Http.GetAsync("/api/images/" + Uri.EscapeDataString("tinyscenes:xx"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("bad scene object", await bad.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/images/" + Uri.EscapeDataString("/etc/passwd"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Http.GetAsync("/api/images/" + Uri.EscapeDataString("../../appsettings.json"))).StatusCode);
    }
}

public sealed class VisualSamplesBrowserTests() : BrowserTest(WebLab.Training.Experiments.MethodCatalog.Default)
{
    [Fact]
    public Task The_samples_tab_of_a_vision_sr1_run_shows_each_image_beside_its_description()
    {
        long id = 0;
        return InBrowserAsync("visual-samples", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Samples" }).ClickAsync();
            var image = page.Locator("[data-testid=sample-image]").First;
            await Assertions.Expect(image).ToBeVisibleAsync();
            Assert.Equal(48, await image.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : -1"));   // the PNG loaded
            // a rollout shows its description, the second pass's answer and the reward parts
            await Assertions.Expect(page.Locator("[data-testid=sample-description]").First).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^description: .* · expected: .* · second pass: .*"));
            // and the scene's ground truth, which the domain knows (a shape per sentence, or "no shapes.")
            await Assertions.Expect(page.Locator("[data-testid=sample-truth]").First).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^ground truth: (no shapes\.|(.+: \w+ \w+ \w+\. ?)+)$"));
        },
        // vision-sr1 from the shipped cold start: 2 steps of 2 prompts, one evaluation item per split at the end
        seed: async () =>
        {
            var http = Lab.CreateClient();
            id = await http.LaunchAsync(new JsonObject
            {
                ["steps"] = 2, ["prompts"] = 2, ["evalEvery"] = 2, ["evalPerSplit"] = 1, ["sampleEvery"] = 1, ["checkpointEvery"] = 0,
            }, method: "vision-sr1");
            await http.WaitForStatusAsync(id, "Succeeded", seconds: 300);
        });
    }
}
