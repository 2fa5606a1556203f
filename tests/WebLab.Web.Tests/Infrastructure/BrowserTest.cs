// Base of the browser tests: a lab of their own (disposed with the test) served over Kestrel on a loopback port, and one
// headless Debian Chromium page on it, in a browser context of its own (cookies, storage and pages apart from every other
// test's). The Playwright driver and Chromium are started once for the test process and shared (Playwright's advice:
// a context costs about 0.5 s here, a driver and browser 2–3 s more, about 100 s over the suite); they close at exit.
// On failure the page's screenshot, HTML and console are saved to bin/<Configuration>/net10.0/TestResults/<name>-failure.*.
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

        await using var context = await NewContextAsync(await SharedChromiumAsync(chromium));
        var page = await NewPageAsync(context);
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
    static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright, string chromium) => playwright.Chromium.LaunchAsync(new()
    {
        ExecutablePath = chromium,
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });

    static readonly SemaphoreSlim SharedGate = new(1, 1);
    static IPlaywright? sharedPlaywright;
    static IBrowser? sharedBrowser;

    /// <summary>The test process's one Chromium (started on first use, again if it was lost), closed when the process exits.</summary>
    public static async Task<IBrowser> SharedChromiumAsync(string chromium)
    {
        await SharedGate.WaitAsync();
        try
        {
            if (sharedBrowser is { IsConnected: true }) return sharedBrowser;
            if (sharedPlaywright is null)
            {
                sharedPlaywright = await Playwright.CreateAsync();
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    try { sharedBrowser?.CloseAsync().Wait(TimeSpan.FromSeconds(5)); } catch (Exception) { /* exiting anyway */ }
                    sharedPlaywright?.Dispose();
                };
            }
            return sharedBrowser = await LaunchChromiumAsync(sharedPlaywright, chromium);
        }
        finally { SharedGate.Release(); }
    }

    /// <summary>A context at the tests' window size: a browser profile of its own, closed with everything in it.</summary>
    public static Task<IBrowserContext> NewContextAsync(IBrowser browser) =>
        browser.NewContextAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });

    /// <summary>A page at the tests' window size (a context of its own), with the tests' bounds on waits.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser) => await NewPageAsync(await NewContextAsync(browser));

    /// <summary>A page in <paramref name="context"/>, with the tests' bounds on waits.</summary>
    public static async Task<IPage> NewPageAsync(IBrowserContext context)
    {
        var page = await context.NewPageAsync();
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
