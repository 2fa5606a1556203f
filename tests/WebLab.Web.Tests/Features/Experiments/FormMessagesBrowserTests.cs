// The launch form in Chromium: every bad value shows its reason beside its field, in words (the range, the type, what
// came), never a framework message and never a silent zero; a cross-field rule is refused before launch.
using Microsoft.Playwright;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class FormMessagesBrowserTests() : BrowserTest(MethodCatalog.Default)
{
    [Fact]
    public Task Bad_values_show_their_reasons_and_block_launch() => InBrowserAsync("form-messages", async (page, baseUrl) =>
    {
        await page.GotoAsync(baseUrl + "/experiments/new");
        var launch = page.Locator("[data-testid=launch]");
        await Assertions.Expect(page.Locator("input[data-testid=field-steps]")).ToHaveValueAsync("800");
        await Assertions.Expect(launch).ToBeEnabledAsync();

        ILocator Field(string name) => page.Locator(".mud-input-control", new() { Has = page.Locator($"input[data-testid=field-{name}]") });
        async Task Type(string name, string text)
        {
            await page.Locator($"input[data-testid=field-{name}]").FillAsync(text);
            await page.Locator($"input[data-testid=field-{name}]").BlurAsync();
        }

        await Type("learningRate", "-0.001");
        await Assertions.Expect(Field("learningRate")).ToContainTextAsync("must be from 1e-7 to 1; got -0.001");
        await Assertions.Expect(launch).ToBeDisabledAsync();
        await Type("learningRate", "0.001");
        await Assertions.Expect(Field("learningRate")).Not.ToContainTextAsync("must be");

        await Type("steps", "abc");
        await Assertions.Expect(Field("steps")).ToContainTextAsync("expected a whole number from 1 to 1,000,000; got \"abc\"");
        await Assertions.Expect(page.Locator("input[data-testid=field-steps]")).ToHaveValueAsync("abc");   // kept as typed, not 0
        await Type("steps", "99999999999");
        await Assertions.Expect(Field("steps")).ToContainTextAsync("expected a whole number from 1 to 1,000,000; got 99999999999");
        await Type("steps", "1.5");
        await Assertions.Expect(Field("steps")).ToContainTextAsync("got 1.5");
        await Type("steps", "0");
        await Assertions.Expect(Field("steps")).ToContainTextAsync("must be from 1 to 1,000,000; got 0");
        await Assertions.Expect(launch).ToBeDisabledAsync();
        await Type("steps", "50");

        // a model shape that cannot be built: named beside both fields, before launch
        await Type("width", "64");
        await Type("heads", "3");
        await Assertions.Expect(Field("width")).ToContainTextAsync("width 64 is not a multiple of heads 3");
        await Assertions.Expect(Field("heads")).ToContainTextAsync("is not a multiple");
        await Assertions.Expect(launch).ToBeDisabledAsync();

        var text = await page.Locator("body").TextContentAsync();
        Assert.DoesNotContain("could not be converted", text);
        Assert.DoesNotContain("LineNumber", text);
        Assert.DoesNotContain("The field", text);
        await ScreenshotAsync(page, "form-messages.png");

        await Type("heads", "4");
        await Assertions.Expect(launch).ToBeEnabledAsync();
        Assert.Empty(await Lab.CreateClient().ListAsync("/api/experiments"));            // nothing was launched meanwhile
    });
}
