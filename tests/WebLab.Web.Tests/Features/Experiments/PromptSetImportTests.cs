// GRPO on an imported prompt set, through the real app: over the API (a bad set is a 400 naming promptSet and writes
// nothing; a good one trains on exactly its prompts) and in Chromium (a bad file is refused with its line numbers and
// keeps what was there; a good one is counted, launched and shown in the config).
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class PromptSetImportTests() : LabTest(MethodCatalog.Default)
{
    internal static readonly string[] Prompts = ["rev abcde", "add 12 7", "sort hgfab", "cnt a abaca"];

    static JsonObject Quick(JsonArray promptSet) => new()
    {
        ["domain"] = "tinytasks",                                       // the default domain's held-out items (tiny-cpu trains on another)
        ["steps"] = 4, ["prompts"] = 2, ["answers"] = 2, ["evalEvery"] = 4, ["evalPerSplit"] = 1, ["sampleEvery"] = 1, ["promptSet"] = promptSet,
        ["samplingRounds"] = 1,                                         // N draws a step, so the epochs below are exact
    };

    [Fact]
    public async Task Api_refuses_a_bad_prompt_set_and_trains_on_exactly_a_good_one()
    {
        var heldOut = TinyTaskSplits.Evaluation().SelectMany(s => s.Items).First(i => i.Level >= 3).Instruction;
        var bad = await Http.PostAsJsonAsync("/api/experiments",
            new { method = "grpo", preset = "tiny-cpu", overrides = Quick(["rev abc", "rev xyz", heldOut]) });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = (await bad.Content.ReadFromJsonAsync<JsonObject>())!;
        var message = (string)problem["errors"]!["promptSet"]![0]!;
        Assert.Contains("2 of 3 prompts cannot be trained on", message);
        Assert.Contains("[1] 'rev xyz'", message);
        Assert.Contains($"[2] '{heldOut}': a held-out evaluation item", message);
        Assert.Empty(await Http.ListAsync("/api/experiments"));

        var response = await Http.PostAsJsonAsync("/api/experiments",
            new { method = "grpo", preset = "tiny-cpu", overrides = Quick([.. Prompts.Select(p => JsonValue.Create(p))]) });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;
        await Http.WaitForStatusAsync(id, "Succeeded", seconds: 120);
        var samples = await Http.ListAsync($"/api/experiments/{id}/samples");
        var trained = samples.Where(s => (string)s!["role"]! == "solver").Select(s => (string)s!["prompt"]!).ToList();
        Assert.Equal(4 * 2 * 2, trained.Count);                          // 4 iterations × 2 prompts × 2 answers, all stored
        Assert.All(trained, p => Assert.Contains(p, Prompts));
        Assert.Equal(Prompts.Order(), trained.Distinct().Order());        // 8 draws in shuffled epochs of 4 cover the set twice
        Assert.Equal([1.0, 1.0, 2.0, 2.0], (await Http.ListAsync($"/api/experiments/{id}/metrics?name=data/epoch")).Select(m => (double)m!["value"]!));
    }

}

public sealed class PromptSetFormTests() : BrowserTest(MethodCatalog.Default)
{
    static readonly string[] Prompts = PromptSetImportTests.Prompts;


    [Fact]
    public Task Form_imports_a_prompt_file_refusing_bad_lines_and_launches_grpo_on_it() =>
        InBrowserAsync("prompt-set", async (page, baseUrl) =>
        {
            using var dir = new TempFolder("weblab-prompts-");
            var good = dir.Combine("good.txt");
            await File.WriteAllTextAsync(good, string.Join("\n", Prompts) + "\n");
            var broken = dir.Combine("broken.jsonl");
            await File.WriteAllTextAsync(broken, "{\"prompt\": \"rev abc\"}\n{\"prompt\": 7}\nnot json\n");
            var invalid = dir.Combine("invalid.txt");
            await File.WriteAllTextAsync(invalid, "rev abc\nrev ABC\n");

            await page.GotoAsync(baseUrl + "/experiments/new");
            await page.Locator("[data-testid=method]").ClickAsync();
            await page.GetByText("GRPO with data (baseline) (grpo)").ClickAsync();
            var field = page.Locator("[data-testid=field-promptSet]");
            var file = field.Locator("input[type=file]").Last;             // MudFileUpload keeps a fresh input after the one last used
            var count = page.Locator("[data-testid=count-promptSet]");
            await Assertions.Expect(count).ToHaveTextAsync("none: prompts are generated");

            await file.SetInputFilesAsync(good);
            await Assertions.Expect(count).ToHaveTextAsync("4 prompts: 'rev abcde', 'add 12 7', 'sort hgfab', …");

            // a file with bad lines is refused whole, naming them, and the imported set stays
            await file.SetInputFilesAsync(broken);
            var errors = page.Locator("[data-testid=import-errors-promptSet]");
            await Assertions.Expect(errors).ToContainTextAsync("broken.jsonl refused, nothing imported: line 2: \"prompt\" must be a string");
            await Assertions.Expect(errors).ToContainTextAsync("line 3: not valid JSON");
            await Assertions.Expect(count).ToContainTextAsync("4 prompts");

            // a readable file whose prompts are not instructions: the form says which, and will not launch
            await file.SetInputFilesAsync(invalid);
            await Assertions.Expect(count).ToContainTextAsync("2 prompts");
            await Assertions.Expect(field).ToContainTextAsync("1 of 2 prompts cannot be trained on: [1] 'rev ABC'");
            await Assertions.Expect(page.Locator("[data-testid=launch]")).ToBeDisabledAsync();
            await ScreenshotAsync(page, "prompt-set-form.png");

            await file.SetInputFilesAsync(good);
            await Assertions.Expect(count).ToContainTextAsync("4 prompts");
            foreach (var (name, value) in new[] { ("steps", "4"), ("evalEvery", "4"), ("evalPerSplit", "1") })
            {
                await page.Locator($"input[data-testid=field-{name}]").FillAsync(value);
                await page.Locator($"input[data-testid=field-{name}]").BlurAsync();
            }
            await Assertions.Expect(page.Locator("[data-testid=launch]")).ToBeEnabledAsync();
            await page.Locator("[data-testid=launch]").ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/experiments/\\d+$"));
            await Assertions.Expect(page.Locator("[data-testid=status]")).ToHaveTextAsync("Succeeded", new() { Timeout = 120_000 });
            await page.GetByRole(AriaRole.Tab, new() { Name = "Config" }).ClickAsync();
            await Assertions.Expect(page.Locator("[data-testid=config]")).ToContainTextAsync("\"sort hgfab\"");
        });
}
