// The real app in memory, per test: its own temp data directory (real SQLite files), a real Hangfire server, the test method
// (or the real methods).
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Tests.Infrastructure;

/// <param name="catalog">The methods the app offers: the test method by default, the real ones with MethodCatalog.Default.</param>
/// <param name="dataDirectory">An existing data folder to start on (kept on dispose), e.g. to restart a lab; else a fresh temp one.</param>
public sealed class LabFactory(MethodCatalog? catalog = null, string? dataDirectory = null) : WebApplicationFactory<Program>
{
    readonly TempFolder? ownDataDirectory = dataDirectory is null ? new TempFolder("weblab-test-") : null;

    public string DataDirectory => dataDirectory ?? ownDataDirectory!.Path;

    /// <summary>The domains the lab offers (the built-in ones when null); set before the lab starts.</summary>
    public DomainCatalog? Domains { get; set; }

    /// <summary>More configuration ("WebLab:DatabaseTimeoutSeconds" = "1"); set before the lab starts.</summary>
    public Dictionary<string, string> Settings { get; } = [];

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("WebLab:DataDirectory", DataDirectory);
        builder.UseSetting("WebLab:Device", "cpu");
        builder.UseSetting("WebLab:QueuePollIntervalMs", "200");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("WebLab:Isolation", "InProcess");              // the test methods live in this process only
        builder.UseSetting("WebLab:Auth:Mode", "None");                   // one anonymous Admin; the sign-in tests set Required
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(s =>
        {
            s.AddSingleton(catalog ?? TestMethods.Catalog);
            if (Domains is not null) s.AddSingleton(Domains);
        });
    }

    /// <summary>Serves the lab over Kestrel on a free loopback port (for other processes to reach it, e.g. a worker's hello)
    /// and returns a client of it.</summary>
    public HttpClient Serve()
    {
        UseKestrel(0);
        StartServer();
        var address = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features
            .Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        return new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>
    /// Writes a finished run straight into the database (no job runs it), then lets <paramref name="rows"/> add its
    /// metrics, samples or verdicts; returns its id. For pages and APIs that only read what a run left.
    /// </summary>
    public async Task<long> SeedRunAsync(string name, string method = "sft", long steps = 0, Action<WebLabDb, long>? rows = null)
    {
        await using var db = await Services.GetRequiredService<IDbContextFactory<WebLabDb>>().CreateDbContextAsync();
        var run = new Experiment
        {
            Name = name, Method = method, ConfigJson = "{}", Status = ExperimentStatus.Succeeded, CreatedAt = DateTimeOffset.UtcNow,
            Step = steps, TotalSteps = steps,
        };
        db.Experiments.Add(run);
        await db.SaveChangesAsync();
        rows?.Invoke(db, run.Id);
        await db.SaveChangesAsync();
        return run.Id;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        ownDataDirectory?.Dispose();                                      // a folder given to it is kept
    }
}
