// The launch form's defects a new user hit (issue 27, items 2–5 and 11), in Chromium: a name error clears once the name is
// fixed; a megabyte pasted into Name leaves the page working; a bad clone or method in the URL is named in a message; a
// path option is confined before anything looks at it, as the API does; a right-to-left override in a name is refused.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class FormDefectsBrowserTests() : BrowserTest(MethodCatalog.Default)
{
    static ILocator NameField(IPage page) => page.Locator(".mud-input-control", new() { Has = page.Locator("input[data-testid=name]") });

    [Fact]
    public Task A_name_error_clears_once_fixed_and_a_megabyte_paste_leaves_the_page_usable() => InBrowserAsync("form-name", async (page, baseUrl) =>
    {
        await page.GotoAsync(baseUrl + "/experiments/new");
        var launch = page.Locator("[data-testid=launch]");
        var name = page.Locator("input[data-testid=name]");
        await Assertions.Expect(launch).ToBeEnabledAsync();

        await name.FillAsync(new string('x', 300));
        await Assertions.Expect(NameField(page)).ToContainTextAsync("at most 200 characters");
        await Assertions.Expect(launch).ToBeDisabledAsync();
        await name.FillAsync("fixed name");
        await Assertions.Expect(NameField(page)).Not.ToContainTextAsync("at most 200 characters");
        await Assertions.Expect(launch).ToBeEnabledAsync();

        // a megabyte, as a paste gives it: the page names the problem and keeps working (no dead circuit)
        await name.FillAsync(new string('y', 1024 * 1024));
        await Assertions.Expect(NameField(page)).ToContainTextAsync("at most 200 characters");
        await name.FillAsync("after the paste");
        await page.Locator("input[data-testid=field-steps]").FillAsync("1");                         // a one-step sft run
        await Assertions.Expect(launch).ToBeEnabledAsync();
        await launch.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/experiments/[0-9]+$"));   // in-page navigation: no load event
        await Assertions.Expect(page.Locator("[data-testid=experiment-name]")).ToHaveTextAsync("after the paste");
    });

    [Fact]
    public Task A_bad_clone_or_method_in_the_url_is_named() => InBrowserAsync("form-url", async (page, baseUrl) =>
    {
        await page.GotoAsync(baseUrl + "/experiments/new?clone=abc");
        await Assertions.Expect(page.Locator("[data-testid=url-problem]")).ToContainTextAsync("Cannot clone 'abc': an experiment's id is a whole number");
        await Assertions.Expect(page.Locator("[data-testid=launch]")).ToBeVisibleAsync();             // and the form is there
        await page.GotoAsync(baseUrl + "/experiments/new?clone=99999");
        await Assertions.Expect(page.Locator("[data-testid=url-problem]")).ToContainTextAsync("There is no experiment 99999 to clone");
        await page.GotoAsync(baseUrl + "/experiments/new?method=nope");
        await Assertions.Expect(page.Locator("[data-testid=url-problem]")).ToContainTextAsync("There is no method 'nope'; known: sft, lsp");
        await page.GotoAsync(baseUrl + "/experiments/new?method=grpo");
        await Assertions.Expect(page.Locator("[data-testid=url-problem]")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-testid=method]")).ToContainTextAsync("grpo");
    });

    [Fact]
    public Task A_path_option_is_answered_as_the_api_answers_it_without_looking_at_the_file() => InBrowserAsync("form-paths", async (page, baseUrl) =>
    {
        using var http = Lab.CreateClient();
        async Task<string> ApiError(string path)
        {
            var r = await http.PostAsJsonAsync("/api/experiments", new { method = "lsp", preset = "tiny-cpu", overrides = new JsonObject { ["domain"] = "chat", ["evalSet"] = path } });
            Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
            return (string)(await r.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["evalSet"]![0]!;
        }
        await page.GotoAsync(baseUrl + "/experiments/new?method=lsp");
        await Assertions.Expect(page.Locator("input[data-testid=field-evalSet]")).ToHaveCountAsync(0);       // tinytasks takes no evaluation set
        await Assertions.Expect(page.Locator("[data-testid=memory-plan]")).ToContainTextAsync("Memory plan: about");   // the plan before launch
        await page.Locator("[data-testid=field-domain]").ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "chat", Exact = true }).ClickAsync();           // the chat domain's panel opens
        await Assertions.Expect(page.Locator("[data-testid=domain-options]")).ToContainTextAsync("Domain options (chat)");
        var field = page.Locator(".mud-input-control", new() { Has = page.Locator("input[data-testid=field-evalSet]") });
        foreach (var path in new[] { "/etc/passwd", "/root/.bashrc", "/root/nope", "/etc" })
        {
            await page.Locator("input[data-testid=field-evalSet]").FillAsync(path);
            var expected = await ApiError(path);
            Assert.Equal($"'{path}' is outside the folders runs may read (WebLab:PathRoots and the data directory)", expected);
            await Assertions.Expect(field).ToContainTextAsync(expected);                               // the same words, whether it exists or not
        }
        Assert.Empty(await http.ListAsync("/api/experiments"));
    });

    [Fact]
    public Task A_right_to_left_override_in_a_name_is_refused_by_the_form_and_the_api() => InBrowserAsync("form-rtl", async (page, baseUrl) =>
    {
        const string spoof = "report \u202eLTR";
        using var http = Lab.CreateClient();
        var r = await http.PostAsJsonAsync("/api/experiments", new { method = "sft", preset = "tiny-cpu", name = spoof });
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        Assert.Contains("override marks", (string)(await r.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["name"]![0]!);
        var id = await http.LaunchAsync(new JsonObject { ["steps"] = 1 }, method: "sft", name: "plain");
        var rename = await http.PatchAsJsonAsync($"/api/experiments/{id}", new { name = spoof });
        Assert.Equal(HttpStatusCode.BadRequest, rename.StatusCode);

        await page.GotoAsync(baseUrl + "/experiments/new");
        await page.Locator("input[data-testid=name]").FillAsync(spoof);
        await Assertions.Expect(NameField(page)).ToContainTextAsync("override marks");
        await Assertions.Expect(page.Locator("[data-testid=launch]")).ToBeDisabledAsync();
    });
}
