// weblab train-base: runs the sft method's "base" preset (single-threaded, seeded) and writes the HF folder.
// The shipped src/WebLab.Training/Domains/TinyTasks/BaseModel/ was made by this command, before SFT data left out the
// default evaluation items; today it writes a different file (README, "TinyTasks and the tiny base model").
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Sft;

namespace WebLab.Cli.Verbs;

public static class TrainBaseVerb
{
    public static int Run(Args args)
    {
        var outDir = Path.GetFullPath(args.Optional("out") ?? Path.Combine("data", "tinytasks-base"));
        // --steps and --learning-rate override the preset (for experiments; the shipped model uses the preset as is)
        var overrides = new System.Text.Json.Nodes.JsonObject();
        if (args.Optional("steps") is { } steps) overrides["steps"] = args.Number("steps", 0, 1, 1_000_000);
        if (args.Optional("learning-rate") is { } lr) overrides["learningRate"] = args.Number("learning-rate", 0.0, 1e-7, 1.0);
        args.EnsureAllUsed();
        var method = new SftMethod();
        var options = (SftOptions)MethodOptions.Build(method, "base", overrides);
        var domain = new TinyTasksDomain();
        using var model = SftRecipe.Train(options, domain, domain, "cpu", null, new ConsoleRunLog(), CancellationToken.None);
        model.Save(outDir);
        var acc = TinyTasksEvaluator.Accuracy(model, TinyTaskSplits.Evaluation());
        Console.WriteLine(EvalVerb.Report(model, acc));
        Console.Error.WriteLine($"wrote {outDir}");
        return 0;
    }
}
