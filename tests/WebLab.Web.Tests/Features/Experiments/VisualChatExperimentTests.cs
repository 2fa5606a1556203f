// vision-sr1 on a Hugging Face Qwen2.5-VL folder through the real app: a tiny random folder made here (with Qwen2.5-VL's
// chat template), the visual chat domain's built-in sample, 2 iterations launched from the API: Succeeded with every
// step and evaluation metric recorded. In Chromium its Samples tab shows each rollout's image beside the first pass, the
// description and the second pass (the public code's whole-response rule, as a random model writes no description tags); image files inside the allowed folders are served as PNG, anything else is not.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using SkiaSharp;
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using WebLab.Training.Models.Qwen25Vl;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class VisualChatExperimentTests() : BrowserTest(MethodCatalog.Default), IDisposable
{
    readonly TempFolder root = new("weblab-visual-chat-");
    void IDisposable.Dispose() => root.Dispose();

    static readonly string[] StepMetrics =
    [
        "reward/overall", "reward/accuracy", "reward/format", "reward/description", "kl", "loss", "clip_frac", "entropy",
        "length/response", "groups/zero_std_frac", "description/missing_frac",
    ];

    string Model()
    {
        var dir = Path.Combine(root.Path, "qwen25vl");
        if (!Directory.Exists(dir))
            TinyHfFolders.Write(dir, new TinyHfSpec { Family = Qwen25VlConfig.Type, Hidden = 64, Heads = 4, Intermediate = 96, MaxPositions = 4096, ChatTemplate = ReferenceTemplates.QwenVl, Seed = 4 });
        return dir;
    }

    async Task<long> LaunchAsync(HttpClient http)
    {
        var response = await http.PostAsJsonAsync("/api/experiments", new
        {
            method = "vision-sr1", preset = "tiny-cpu",
            overrides = new { domain = "visual-chat", model = Model(), steps = 2, prompts = 2, answers = 2, updatesPerRollout = 1, maxResponseTokens = 8, evalEvery = 2, evalPerSplit = 2, sampleEvery = 1, checkpointEvery = 0,
                wholeResponseWhenMissing = true },   // the public code's rule: a random model writes no <description>, so the second pass reads its whole response
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
    }

    [Fact]
    public async Task Vision_sr1_on_a_qwen25_vl_folder_succeeds_with_every_metric_and_its_samples_show_image_and_both_passes()
    {
        Lab.Settings["WebLab:PathRoots:0"] = root.Path;
        long id = 0;
        await InBrowserAsync("visual-chat", async (page, baseUrl) =>
        {
            await page.GotoAsync($"{baseUrl}/experiments/{id}");
            await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToBeVisibleAsync();
            var images = page.Locator("[data-testid=sample-image]");
            await Poll.UntilAsync(async () =>
            {
                await page.GetByRole(AriaRole.Tab, new() { Name = "Samples" }).ClickAsync();
                return await images.First.IsVisibleAsync();
            }, "the Samples tab to show the rollouts' images");
            Assert.StartsWith("/api/images/tinyscenes", await images.First.GetAttributeAsync("src"));
            Assert.True(await images.First.EvaluateAsync<bool>("img => img.complete && img.naturalWidth > 0"), "the sample's image loads");
            var description = page.Locator("[data-testid=sample-description]").Filter(new() { HasText = "second pass:" });
            await Assertions.Expect(description.First).ToContainTextAsync("description:");
            await ScreenshotAsync(page, "visual-chat-samples.png");
        }, seed: async () =>
        {
            using var http = Lab.CreateClient();
            id = await LaunchAsync(http);
            var done = await http.WaitForStatusAsync(id, "Succeeded", seconds: 300);
            Assert.Equal(2, (long)done["step"]!);
            foreach (var name in StepMetrics)
                Assert.Equal(2, (await http.ListAsync($"/api/experiments/{id}/metrics?name={Uri.EscapeDataString(name)}")).Count);
            foreach (var name in new[] { "eval/accuracy", "eval/lsr", "eval/lsr_start_model", "eval/format" })
                Assert.Equal([0, 2], (await http.ListAsync($"/api/experiments/{id}/metrics?name={Uri.EscapeDataString(name)}")).Select(m => (int)m!["step"]!));
            var rollouts = (await http.ListAsync($"/api/experiments/{id}/samples")).Where(s => (string)s!["role"]! != "eval").ToList();
            Assert.NotEmpty(rollouts);
        });
    }

    [Fact]
    public async Task Bad_data_is_a_400_naming_the_file_and_row_and_nothing_is_queued()
    {
        Lab.Settings["WebLab:PathRoots:0"] = root.Path;
        using var http = Lab.CreateClient();
        var data = Path.Combine(root.Path, "vqa.jsonl");
        File.WriteAllLines(data, ["""{"problem": "<image>Colour?", "answer": "red", "images": ["red.png"]}""", """{"problem": "Shape?", "answer": "", "images": ["red.png"]}"""]);
        var response = await http.PostAsJsonAsync("/api/experiments", new { method = "vision-sr1", preset = "tiny-cpu", overrides = new { domain = "visual-chat", model = Model(), data } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["domain"]![0]!;
        Assert.Contains("vqa.jsonl, row 1, image 1: no image file", message);                 // the first fault met, named
        Assert.Empty(await http.ListAsync("/api/experiments"));
    }

    [Fact]
    public async Task Image_files_inside_the_allowed_folders_are_served_as_png_and_others_are_not()
    {
        Lab.Settings["WebLab:PathRoots:0"] = root.Path;
        using var http = Lab.CreateClient();
        using (var bitmap = new SKBitmap(new SKImageInfo(5, 4, SKColorType.Rgba8888, SKAlphaType.Opaque)))
        {
            bitmap.Erase(SKColors.Orange);
            using var jpeg = bitmap.Encode(SKEncodedImageFormat.Jpeg, 90);
            File.WriteAllBytes(Path.Combine(root.Path, "a.jpg"), jpeg.ToArray());
        }
        File.WriteAllText(Path.Combine(root.Path, "notes.txt"), "not an image");
        var ok = await http.GetAsync("/api/images/" + Uri.EscapeDataString(Path.Combine(root.Path, "a.jpg")));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("image/png", ok.Content.Headers.ContentType!.MediaType);
        using (var served = SKBitmap.Decode(await ok.Content.ReadAsByteArrayAsync())) Assert.Equal((5, 4), (served.Width, served.Height));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/images/" + Uri.EscapeDataString(Path.Combine(root.Path, "notes.txt")))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/api/images/" + Uri.EscapeDataString("/usr/share/pixmaps/debian-logo.png"))).StatusCode);
    }
}
