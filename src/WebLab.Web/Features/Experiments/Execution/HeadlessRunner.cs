// Runs one experiment from a config file {name, method, preset, overrides} in process, without Kestrel or Hangfire:
// same records, same job code, same run-log writer. The CLI's `run --config FILE` calls it; `run --resume ID` continues
// a stopped run from its saved state the same way.
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection.Extensions;
using WebLab.Training.Experiments;
using WebLab.Web.Data;
using WebLab.Web.Extensions;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments;

public static class HeadlessRunner
{
    /// <summary>Creates the experiment row, runs it to the end (or until <paramref name="ct"/>), and returns the final row.</summary>
    /// <exception cref="OptionsValidationException">The config file is not valid (errors keyed by field).</exception>
    /// <param name="asUser">The account the run is recorded under (it must exist and be an Admin or Researcher); null: "cli:{machine user}".</param>
    public static async Task<Experiment> RunAsync(string configFile, string[]? args = null, MethodCatalog? catalog = null, CancellationToken ct = default,
        string? asUser = null)
    {
        using var host = await StartAsync(args, catalog, ct);

        CreateExperimentRequest request;
        try
        {
            request = JsonSerializer.Deserialize<CreateExperimentRequest>(await File.ReadAllTextAsync(configFile, ct), JsonSerializerOptions.Web)
                ?? throw new JsonException("the file holds null");
        }
        catch (JsonException e)
        {
            throw new OptionsValidationException(new Dictionary<string, string[]> { ["config"] = [$"{configFile}: {e.Message}"] });
        }

        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Accounts.CurrentActor>().Name = await ActorAsync(scope.ServiceProvider, asUser);
        var created = await scope.ServiceProvider.GetRequiredService<RunLaunches>().CreateAsync(request, ct);
        if (created.Experiment is not { } experiment)
            throw new OptionsValidationException(created.Errors.ToDictionary(e => e.Key, e => e.Value));
        await scope.ServiceProvider.GetRequiredService<ExperimentJob>().Run(experiment.Id, ct);
        return (await scope.ServiceProvider.GetRequiredService<ExperimentService>().FindAsync(experiment.Id, CancellationToken.None))!;
    }

    /// <summary>Who the audit trail names for a headless run: the machine's user.</summary>
    static string CliActor => "cli:" + Environment.UserName;

    /// <summary>The --as account, checked: it exists, is enabled, and its role may launch; else the machine's user.</summary>
    /// <exception cref="InvalidOperationException">The account is unknown, disabled or may not launch runs.</exception>
    static async Task<string> ActorAsync(IServiceProvider services, string? asUser)
    {
        if (asUser is null) return CliActor;
        var users = services.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Accounts.LabUser>>();
        var user = await users.FindByNameAsync(asUser) ?? throw new InvalidOperationException($"--as {asUser}: no such account in this lab");
        if (await users.IsLockedOutAsync(user)) throw new InvalidOperationException($"--as {asUser}: the account is disabled");
        var roles = await users.GetRolesAsync(user);
        if (!Accounts.LabAccess.Allows(roles, Accounts.LabPolicies.Launch))
            throw new InvalidOperationException($"--as {asUser}: a {string.Join(", ", roles)} may not launch runs (Admin or Researcher may)");
        return user.UserName!;
    }

    /// <summary>
    /// Resumes experiment <paramref name="id"/> from its saved state and runs it to the end here. A run still marked Running
    /// whose headless owner process is gone (killed on this machine) is first marked Failed, as the lab's start-up would.
    /// </summary>
    /// <exception cref="InvalidOperationException">It cannot be resumed; the message says why.</exception>
    public static async Task<Experiment> ResumeAsync(long id, string[]? args = null, MethodCatalog? catalog = null, CancellationToken ct = default)
    {
        using var host = await StartAsync(args, catalog, ct);
        await using var scope = host.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<Accounts.CurrentActor>().Name = CliActor;
        // only a headless owner can be checked from here; a Hangfire-owned run may belong to a live lab process
        await DbInitializer.FailCrashedAsync(scope.ServiceProvider.GetRequiredService<WebLabDb>(), scope.ServiceProvider.GetRequiredService<LabPaths>(),
            jobId => jobId?.StartsWith(HeadlessOwner.Prefix, StringComparison.Ordinal) == true && !HeadlessOwner.IsAlive(jobId), only: id, ct);
        var service = scope.ServiceProvider.GetRequiredService<ExperimentService>();
        var (outcome, n) = await service.ResumeAsync(id, ct: ct);
        if (outcome != ResumeOutcome.Queued) throw new InvalidOperationException(outcome switch
        {
            ResumeOutcome.NotFound => $"no experiment {id}",
            ResumeOutcome.NoState => $"experiment {id} saved no resumable state",
            ResumeOutcome.ReviewsWouldBeLost => $"{n} reviewed verdicts of experiment {id} come after its saved state; resume it from the lab to discard them",
            _ => $"experiment {id} is not stopped: only a Failed or Cancelled run can be resumed",
        });
        await scope.ServiceProvider.GetRequiredService<ExperimentJob>().Run(id, ct);
        return (await service.FindAsync(id, CancellationToken.None))!;
    }

    static async Task<IHost> StartAsync(string[]? args, MethodCatalog? catalog, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(args ?? []);
        if (catalog is not null) builder.Services.TryAddSingleton(catalog);
        builder.AddWebLabData();
        builder.AddWebLabAccounts();
        builder.AddWebLabRuns();
        builder.Services.PostConfigure<WebLabOptions>(o => o.Isolation = RunIsolation.InProcess);   // this process is the run's own
        builder.Services.AddSingleton<IRunQueue, InlineRunQueue>();
        var host = builder.Build();
        // Runs marked Running may belong to a lab process sharing this data directory: leave them alone.
        await DbInitializer.InitializeAsync(host.Services, failInterruptedRuns: false, ct);
        return host;
    }
}
