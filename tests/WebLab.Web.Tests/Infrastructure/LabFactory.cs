// The real app in memory, per test: its own temp data directory (real SQLite files), a real Hangfire server, the test method
// (or the real methods).
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Infrastructure;

/// <param name="catalog">The methods the app offers: the test method by default, the real ones with MethodCatalog.Default.</param>
/// <param name="dataDirectory">An existing data folder to start on (kept on dispose), e.g. to restart a lab; else a fresh temp one.</param>
public sealed class LabFactory(MethodCatalog? catalog = null, string? dataDirectory = null) : WebApplicationFactory<Program>
{
    public string DataDirectory { get; } = dataDirectory ?? Directory.CreateTempSubdirectory("weblab-test-").FullName;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("WebLab:DataDirectory", DataDirectory);
        builder.UseSetting("WebLab:Device", "cpu");
        builder.UseSetting("WebLab:QueuePollIntervalMs", "200");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.ConfigureTestServices(s => s.AddSingleton(catalog ?? TestMethods.Catalog));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (dataDirectory is not null) return;
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
