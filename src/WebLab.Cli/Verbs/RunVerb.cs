// weblab run --config FILE.json [--WebLab:DataDirectory=DIR …]: one experiment, headless, into the lab's records.
// weblab run --resume ID […]: continues a stopped (or killed) experiment from its saved state, headless.
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
        var r = Array.IndexOf(args, "--resume");
        if ((i < 0) == (r < 0)) throw new CliException("run: give --config FILE.json (a new run) or --resume ID (a stopped one)");
        var at = Math.Max(i, r);
        if (at + 1 >= args.Length) throw new CliException($"run: {args[at]} needs a value");
        var value = args[at + 1];
        long id = 0;
        if (i >= 0 && !File.Exists(value)) throw new CliException($"run: no such file '{value}'");
        if (r >= 0 && !long.TryParse(value, out id)) throw new CliException($"run: --resume needs an experiment id, got '{value}'");
        var a = Array.IndexOf(args, "--as");
        if (a >= 0 && (a + 1 >= args.Length || r >= 0)) throw new CliException(r >= 0 ? "run: --as is for a new run (--config)" : "run: --as needs an account name");
        var asUser = a >= 0 ? args[a + 1] : null;
        var hostArgs = args.Where((_, j) => j != at && j != at + 1 && (a < 0 || j != a && j != a + 1)).ToArray();   // the rest configures the lab (appsettings keys)

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            var e = (i >= 0 ? HeadlessRunner.RunAsync(value, hostArgs, ct: cts.Token, asUser: asUser) : HeadlessRunner.ResumeAsync(id, hostArgs, ct: cts.Token))
                .GetAwaiter().GetResult();
            Console.WriteLine($"experiment {e.Id} '{e.Name}': {e.Status} at step {e.Step}/{e.TotalSteps}");
            if (e.Error is not null) Console.Error.WriteLine(e.Error);
            return e.Status == ExperimentStatus.Succeeded ? 0 : 1;
        }
        catch (OptionsValidationException e)
        {
            throw new CliException("run: " + e.Message);
        }
        catch (InvalidOperationException e)
        {
            throw new CliException("run: " + e.Message);
        }
    }
}
