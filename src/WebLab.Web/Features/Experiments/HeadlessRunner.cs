// Runs one experiment from a config file {name, method, preset, overrides} in process, without Kestrel or Hangfire:
// same records, same job code, same run-log writer. The CLI's `run --config FILE` calls it.
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
    public static async Task<Experiment> RunAsync(string configFile, string[]? args = null, MethodCatalog? catalog = null, CancellationToken ct = default)
    {
        var builder = Host.CreateApplicationBuilder(args ?? []);
        if (catalog is not null) builder.Services.TryAddSingleton(catalog);
        builder.AddWebLabData();
        builder.AddWebLabRuns();
        builder.Services.AddSingleton<IRunQueue, InlineRunQueue>();
        using var host = builder.Build();
        // Runs marked Running may belong to a lab process sharing this data directory: leave them alone.
        await DbInitializer.InitializeAsync(host.Services, failInterruptedRuns: false, ct);

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
        var created = await scope.ServiceProvider.GetRequiredService<ExperimentService>().CreateAsync(request, ct);
        if (created.Experiment is not { } experiment)
            throw new OptionsValidationException(created.Errors.ToDictionary(e => e.Key, e => e.Value));
        await scope.ServiceProvider.GetRequiredService<ExperimentJob>().Run(experiment.Id, ct);
        return (await scope.ServiceProvider.GetRequiredService<ExperimentService>().FindAsync(experiment.Id, CancellationToken.None))!;
    }
}
