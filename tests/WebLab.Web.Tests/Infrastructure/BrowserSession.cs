// One headless Debian Chromium page on a lab served over Kestrel on a loopback port. On failure the page's screenshot,
// HTML and console are saved to bin/<Configuration>/net10.0/TestResults/<name>-failure.*.
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace WebLab.Web.Tests.Infrastructure;

public static class BrowserSession
{
    public static string ResultsDirectory => Path.Combine(AppContext.BaseDirectory, "TestResults");

    /// <summary>Starts <paramref name="lab"/>'s server (after <paramref name="seed"/>), opens a page and runs <paramref name="steps"/> with the base URL.</summary>
    public static async Task RunAsync(LabFactory lab, string name, Func<IPage, string, Task> steps, Func<Task>? seed = null)
    {
        var chromium = DebianChromium.Ensure();
        lab.UseKestrel(0);
        lab.StartServer();
        if (seed is not null) await seed();
        var baseUrl = lab.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = chromium,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        page.SetDefaultTimeout(20_000);
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

    public static async Task ScreenshotAsync(IPage page, string fileName)
    {
        Directory.CreateDirectory(ResultsDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(ResultsDirectory, fileName), FullPage = true });
    }
}
