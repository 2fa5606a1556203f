// weblab train: runs any method from a preset with option overrides, printing progress (no database).
//   weblab train --method lsp --preset tiny-cpu [--set steps=200] [--set beta=0.1] [--out DIR]
//   weblab train --method grpo --prompts FILE.txt|FILE.jsonl   (an imported prompt set: the promptSet option)
//   weblab train --resume DIR [--device D]   (a stopped run of this verb, from its checkpoints/latest)
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Runtime;

namespace WebLab.Cli.Verbs;

public static class TrainVerb
{
    public static int Run(string[] raw)
    {
        string? method = null, preset = null, outDir = null, parent = null, device = null, resume = null;
        var overrides = new JsonObject();
        for (int i = 0; i < raw.Length; i += 2)
        {
            if (i + 1 >= raw.Length) throw new CliException($"train: {raw[i]} needs a value");
            var value = raw[i + 1];
            switch (raw[i])
            {
                case "--method": method = value; break;
                case "--preset": preset = value; break;
                case "--out": outDir = value; break;
                case "--parent": parent = value; break;
                case "--device": device = value; break;
                case "--resume": resume = value; break;
                case "--prompts": overrides["promptSet"] = ReadPromptSet(value); break;
                case "--set":
                    var eq = value.IndexOf('=');
                    if (eq <= 0) throw new CliException($"train: --set needs key=value, got '{value}'");
                    overrides[value[..eq]] = ParseValue(value[(eq + 1)..]);
                    break;
                default: throw new CliException($"train: unknown option '{raw[i]}'");
            }
        }
        if (resume is not null)
        {
            if ((method ?? preset ?? outDir ?? parent) is not null || overrides.Count > 0)
                throw new CliException("train: --resume DIR takes the run's own settings; only --device may be given with it");
            return Resume(Path.GetFullPath(resume), device);
        }
        if (method is null) throw new CliException("train: --method is required");
        if (!MethodCatalog.Default.TryGet(method, out var m)) throw new CliException($"train: unknown method '{method}'; known: {string.Join(", ", MethodCatalog.Default.All.Select(x => x.Name))}");
        RunSpec spec;
        try
        {
            spec = RunSpec.Build(m, preset ?? PresetNames.TinyCpu, overrides, DomainCatalog.Default);   // before the run folder is made
        }
        catch (OptionsValidationException e) { throw new CliException("train: " + e.Message); }
        var dir = Path.GetFullPath(outDir ?? Path.Combine("data", "runs", $"{method}-{DateTime.UtcNow:yyyyMMdd-HHmmss}"));
        Directory.CreateDirectory(dir);
        var folder = new RunFolder(dir);
        File.WriteAllText(folder.OptionsFile, spec.ToJson());
        File.WriteAllText(folder.RunFile, new JsonObject { ["method"] = method, ["parent"] = parent }.ToJsonString());
        return RunIn(dir, spec, device, parent, resume: null);
    }

    // The run folder holds run.json (method, parent), options.json and checkpoints/latest; metrics.csv keeps its rows up
    // to the saved step and goes on from there.
    static int Resume(string dir, string? device)
    {
        var folder = new RunFolder(dir);
        string runFile = folder.RunFile, optionsFile = folder.OptionsFile;
        if (!File.Exists(runFile) || !File.Exists(optionsFile)) throw new CliException($"train: --resume: {dir} is not a run folder of `weblab train` (no run.json or options.json)");
        var run = JsonNode.Parse(File.ReadAllText(runFile))!.AsObject();
        var method = (string?)run["method"] ?? "";
        if (!MethodCatalog.Default.TryGet(method, out var m)) throw new CliException($"train: --resume: unknown method '{method}' in {runFile}");
        RunSpec spec;
        try { spec = RunSpec.FromJson(m, File.ReadAllText(optionsFile), DomainCatalog.Default); }
        catch (OptionsValidationException e) { throw new CliException($"train: --resume: {optionsFile}: {e.Message}"); }
        var state = folder.SavedState ?? throw new CliException($"train: --resume: {dir} holds no saved state (checkpoints/latest)");
        var csv = folder.MetricsFile;
        if (File.Exists(csv))
            File.WriteAllLines(csv, File.ReadAllLines(csv).Where(l => long.TryParse(l.Split(',')[0], out var step) && step <= state.Step));
        Console.Error.WriteLine($"resuming {method} in {dir} after step {state.Step}");
        return RunIn(dir, spec, device, (string?)run["parent"], state);
    }

    /// <summary>Runs the method in its folder (metrics.csv afresh, or appended to when resuming), then drops the saved state.</summary>
    static int RunIn(string dir, RunSpec spec, string? device, string? parent, SavedState? resume)
    {
        var folder = new RunFolder(dir);
        var log = new ConsoleRunLog(folder.MetricsFile, append: resume is not null);
        var resolved = TorchRuntime.ResolveDevice(device);
        var domain = spec.ConfiguredDomain(DomainCatalog.Default, resolved);   // both callers checked the spec against the catalog
        spec.Method.Run(new ExperimentContext(0, spec.Options, dir, resolved, parent, log, resume, Domain: domain), CancellationToken.None);
        folder.DiscardState();                                             // finished: checkpoints/final is what it keeps
        Console.Error.WriteLine($"run folder: {dir}");
        return 0;
    }

    static JsonArray ReadPromptSet(string path)
    {
        if (!File.Exists(path)) throw new CliException($"train: --prompts: no such file '{path}'");
        if (new FileInfo(path).Length > PromptSetFile.MaxBytes) throw new CliException($"train: --prompts: '{path}' is larger than {PromptSetFile.MaxBytes / (1024 * 1024)} MiB");
        var result = PromptSetFile.Parse(File.ReadAllText(path), path);
        if (result.Errors.Count > 0) throw new CliException($"train: --prompts {path}: " + string.Join("; ", result.Errors));
        return new JsonArray([.. result.Prompts.Select(p => JsonValue.Create(p))]);
    }

    static JsonNode? ParseValue(string text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var d) ? JsonValue.Create(d)
        : bool.TryParse(text, out var b) ? JsonValue.Create(b)
        : JsonValue.Create(text);
}
