// weblab run --config FILE.json [--WebLab:DataDirectory=DIR …]: one experiment, headless, into the lab's records.
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Cli.Verbs;

public static class RunVerb
{
    /// <summary>Exit code 0 when the run Succeeded, 1 when it Failed or was cancelled (Ctrl+C), 2 for bad input.</summary>
    public static int Run(string[] args)
    {
        var i = Array.IndexOf(args, "--config");
        if (i < 0 || i + 1 >= args.Length) throw new CliException("run: --config FILE.json is required");
        var config = args[i + 1];
        if (!File.Exists(config)) throw new CliException($"run: no such file '{config}'");
        var hostArgs = args.Where((_, j) => j != i && j != i + 1).ToArray();   // the rest configures the lab (appsettings keys)

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            var e = HeadlessRunner.RunAsync(config, hostArgs, ct: cts.Token).GetAwaiter().GetResult();
            Console.WriteLine($"experiment {e.Id} '{e.Name}': {e.Status} at step {e.Step}/{e.TotalSteps}");
            if (e.Error is not null) Console.Error.WriteLine(e.Error);
            return e.Status == ExperimentStatus.Succeeded ? 0 : 1;
        }
        catch (OptionsValidationException e)
        {
            throw new CliException("run: " + e.Message);
        }
    }
}
