// Base of the browser tests: a lab of their own (disposed with the test) served over Kestrel on a loopback port, and one
// headless Debian Chromium page on it. On failure the page's screenshot, HTML and console are saved to
// bin/<Configuration>/net10.0/TestResults/<name>-failure.*.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Infrastructure;

/// <param name="catalog">The methods the lab offers: the test method by default, the real ones with MethodCatalog.Default.</param>
public abstract class BrowserTest(MethodCatalog? catalog = null) : IAsyncLifetime
{
    protected LabFactory Lab { get; } = new(catalog);

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await Lab.DisposeAsync();

    public static string ResultsDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults");

    /// <summary>Starts the lab's server, runs <paramref name="seed"/>, opens a page and runs <paramref name="steps"/> with the base URL.</summary>
    protected async Task InBrowserAsync(string name, Func<IPage, string, Task> steps, Func<Task>? seed = null)
    {
        var chromium = DebianChromium.Ensure();
        using var served = Lab.Serve();
        if (seed is not null) await seed();
        var baseUrl = served.BaseAddress!.ToString().TrimEnd('/');

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchChromiumAsync(playwright, chromium);
        var page = await NewPageAsync(browser);
        var console = new List<string>();
        page.Console += (_, m) => console.Add($"{m.Type}: {m.Text}");
        try { await steps(page, baseUrl); }
        catch
        {
            await ScreenshotAsync(page, $"{name}-failure.png");
            await File.WriteAllTextAsync(Path.Combine(ResultsDirectory, $"{name}-failure.html"), await page.ContentAsync());
            await File.WriteAllLinesAsync(Path.Combine(ResultsDirectory, $"{name}-failure-console.txt"), console);
            throw;
        }
    }

    /// <summary>Debian's Chromium, headless (<paramref name="chromium"/> from <see cref="DebianChromium.Ensure"/>).</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright, string chromium) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    /// <summary>A page at the tests' window size, with the tests' bounds on waits.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser)
    {
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(20_000);
        // Expect(...) polls up to 5 s by default; the first page of a suite on 2 busy cores once took longer to render
        // after Blazor's in-page navigation (URL changed, the new page not yet drawn), so expectations get the same bound.
        Assertions.SetDefaultExpectTimeout(20_000);
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string fileName)
    {
        Directory.CreateDirectory(ResultsDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ResultsDirectory, fileName), FullPage = true });
    }
}
