// A domain and a method added as a contributor adds them (Extensions/FakeDomain, Extensions/FakeMethod: one folder and one
// registration line each): the API lists them and runs the method on the domain to Succeeded; a method whose needs the
// domain lacks, and a domain that lacks the method's needs, are refused with a 400 before anything is queued; and in
// Chromium the form offers the new method, and for each method only the domains that give what it needs.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using WebLab.Web.Tests.Extensions;
using WebLab.Web.Tests.Extensions.FakeDomain;
using WebLab.Web.Tests.Extensions.FakeMethod;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Extensions;

public sealed class ExtensionPointTests : LabTest
{
    public ExtensionPointTests() : base(Registered.Methods) => Lab.Domains = Registered.Domains;

    [Fact]
    public async Task The_api_runs_the_new_method_on_the_new_domain_to_succeeded()
    {
        var methods = await Http.ListAsync("/api/methods");
        var fake = methods.Single(m => (string?)m!["name"] == FakeMethod.Id)!;
        var domain = fake["options"]!.AsArray().Single(f => (string?)f!["name"] == "domain")!;
        // the new method needs an evaluator: the new domain and every built-in one with an evaluator, not chat
        Assert.Equal(["tinytasks", "tinytasks-frontier", "tinytasks-headroom", "tinyscenes", "visual-chat", FakeDomain.Id],
            domain["choices"]!.AsArray().Select(c => (string)c!).ToArray());                             // in catalog order

        // the new domain's own options: listed with it, set beside the method's, stored in the one flat config
        var domains = await Http.ListAsync("/api/domains");
        var listed = domains.Single(d => (string?)d!["name"] == FakeDomain.Id)!;
        Assert.Equal(["an evaluator"], listed["offers"]!.AsArray().Select(c => (string)c!).ToArray());
        Assert.Equal(["strings", "label"], listed["options"]!.AsArray().Select(f => (string)f!["name"]!).ToArray());
        Assert.Empty(domains.Single(d => (string?)d!["name"] == "tinytasks")!["options"]!.AsArray());
        Assert.DoesNotContain(fake["options"]!.AsArray(), f => (string?)f!["name"] == "strings");      // not the method's

        var id = await Http.LaunchAsync(new JsonObject { ["steps"] = 4, ["strings"] = 2 }, method: FakeMethod.Id);
        var done = await Http.WaitForStatusAsync(id, "Succeeded", seconds: 60);
        Assert.Equal(FakeDomain.Id, (string?)done["config"]!["domain"]);
        Assert.Equal(2, (int)done["config"]!["strings"]!);
        var samples = await Http.ListAsync($"/api/experiments/{id}/samples?role=eval");
        Assert.Equal(FakeDomain.Items.Take(2).ToHashSet(), samples.Select(s => (string)s!["prompt"]!).ToHashSet());   // the run's domain read its options
        var points = await Http.ListAsync($"/api/experiments/{id}/metrics?name={Uri.EscapeDataString(FakeDomain.Metric)}");
        Assert.Equal([2L, 4L], points.Select(p => (long)p!["step"]!).ToArray());                       // EvalEvery 2, and the end
        Assert.All(points, p => Assert.True((double)p!["value"]! < 0));                                  // a log-probability
    }

    [Fact]
    public async Task A_method_whose_needs_the_domain_lacks_is_refused_before_queueing()
    {
        // sft needs supervised data, which the new domain does not offer
        var sft = await Http.PostAsJsonAsync("/api/experiments", new { method = "sft", preset = "tiny-cpu", overrides = new JsonObject { ["domain"] = FakeDomain.Id } });
        Assert.Equal(HttpStatusCode.BadRequest, sft.StatusCode);
        var message = (string)(await sft.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["domain"]![0]!;
        Assert.Equal($"sft needs supervised data, which the {FakeDomain.Id} domain does not offer; domains that do: tinytasks, tinytasks-frontier, tinytasks-headroom, tinyscenes, visual-chat", message);

        // the new method needs an evaluator, which chat does not offer
        var onChat = await Http.PostAsJsonAsync("/api/experiments", new { method = FakeMethod.Id, preset = "tiny-cpu", overrides = new JsonObject { ["domain"] = "chat" } });
        Assert.Equal(HttpStatusCode.BadRequest, onChat.StatusCode);
        Assert.StartsWith($"{FakeMethod.Id} needs an evaluator, which the chat domain does not offer",
            (string)(await onChat.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["domain"]![0]!);

        // the domain's own options are checked with the method's, all at once
        var bad = await Http.PostAsJsonAsync("/api/experiments", new { method = FakeMethod.Id, preset = "tiny-cpu", overrides = new JsonObject { ["strings"] = 9, ["label"] = "a b", ["steps"] = 0 } });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!;
        Assert.Equal("must be from 1 to 3; got 9", (string)errors["strings"]![0]!);
        Assert.Contains("has a space", (string)errors["label"]![0]!);
        Assert.NotNull(errors["steps"]);
        // another domain's option is refused on this one, naming whose it is
        var chatOption = await Http.PostAsJsonAsync("/api/experiments", new { method = FakeMethod.Id, preset = "tiny-cpu", overrides = new JsonObject { ["maxAnswerTokens"] = 64 } });
        Assert.StartsWith("only the chat domain reads this", (string)(await chatOption.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["maxAnswerTokens"]![0]!);

        Assert.Empty(await Http.ListAsync("/api/experiments"));                                          // nothing written, nothing queued
    }
}

public sealed class ExtensionPointBrowserTests : BrowserTest
{
    public ExtensionPointBrowserTests() : base(Registered.Methods) => Lab.Domains = Registered.Domains;

    [Fact]
    public Task The_form_lists_the_new_method_and_offers_each_method_the_domains_it_can_run_on() => InBrowserAsync("extension-form", async (page, baseUrl) =>
    {
        await page.GotoAsync(baseUrl + "/experiments/new");
        await page.Locator("[data-testid=method]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Option, new() { Name = "Fake method (test)", Exact = false })).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Escape");

        async Task<string[]> DomainChoices(string method)
        {
            await page.GotoAsync(baseUrl + $"/experiments/new?method={method}");
            await Assertions.Expect(page.Locator("[data-testid=method]")).ToContainTextAsync(method);
            await page.Locator("[data-testid=field-domain]").ClickAsync();
            var options = page.GetByRole(AriaRole.Option);
            await Assertions.Expect(options.First).ToBeVisibleAsync();
            var names = (await options.AllInnerTextsAsync()).Select(t => t.Trim()).ToArray();
            await ScreenshotAsync(page, $"extension-form-domains-{method}.png");                 // the open domain list, to look at
            await page.Keyboard.PressAsync("Escape");
            return names;
        }
        Assert.Contains(FakeDomain.Id, await DomainChoices(FakeMethod.Id));
        Assert.DoesNotContain("chat", await DomainChoices(FakeMethod.Id));
        var sft = await DomainChoices("sft");
        Assert.DoesNotContain(FakeDomain.Id, sft);
        Assert.Contains("tinyscenes", sft);
        Assert.Equal(["tinyscenes", "visual-chat"], await DomainChoices("vision-sr1"));

        // launched from the form, the new method runs on the new domain, whose own options have their own panel
        await page.GotoAsync(baseUrl + $"/experiments/new?method={FakeMethod.Id}");
        await Assertions.Expect(page.Locator("[data-testid=field-domain]")).ToContainTextAsync(FakeDomain.Id);
        var domainPanel = page.Locator("[data-testid=domain-options]");
        await Assertions.Expect(domainPanel).ToContainTextAsync($"Domain options ({FakeDomain.Id})");
        await Assertions.Expect(domainPanel.Locator("input[data-testid=field-strings]")).ToHaveValueAsync("3");
        await Assertions.Expect(page.Locator("[data-testid=method-options] input[data-testid=field-strings]")).ToHaveCountAsync(0);
        await domainPanel.Locator("input[data-testid=field-label]").FillAsync("a b");
        await Assertions.Expect(domainPanel).ToContainTextAsync("has a space");
        await Assertions.Expect(page.Locator("[data-testid=launch]")).ToBeDisabledAsync();
        await domainPanel.Locator("input[data-testid=field-label]").FillAsync("ok");
        await domainPanel.Locator("input[data-testid=field-strings]").FillAsync("1");
        await ScreenshotAsync(page, "extension-form-two-panels.png");
        await Assertions.Expect(page.Locator("[data-testid=launch]")).ToBeEnabledAsync();
        await page.Locator("[data-testid=launch]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/experiments/[0-9]+$"));
        await Assertions.Expect(page.Locator("[data-testid=status]")).ToContainTextAsync("Succeeded", new() { Timeout = 60_000 });
        await ScreenshotAsync(page, "extension-run-page.png");
    });
}
