// weblab train-base: runs the sft method's "base" preset (single-threaded, seeded) and writes the HF folder.
// The shipped src/WebLab.Training/Domains/TinyTasks/BaseModel/ was made by exactly this command.
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Sft;
using WebLab.Training.Models.Llama;

namespace WebLab.Cli.Verbs;

public static class TrainBaseVerb
{
    public static int Run(Args args)
    {
        var outDir = Path.GetFullPath(args.Optional("out") ?? Path.Combine("data", "tinytasks-base"));
        var steps = args.Optional("steps");
        args.EnsureAllUsed();
        var method = new SftMethod();
        var overrides = steps is null ? null : new System.Text.Json.Nodes.JsonObject { ["steps"] = int.Parse(steps) };
        var options = (SftOptions)MethodOptions.Build(method, "base", overrides);
        using var model = SftRecipe.Train(options, "cpu", null, new ConsoleRunLog(), CancellationToken.None);
        LlamaLoader.SaveHfFolder(model, outDir);
        var acc = TinyTasksEvaluator.Accuracy(model, TinyTaskSplits.Evaluation());
        Console.WriteLine(EvalVerb.Report(model, acc));
        Console.Error.WriteLine($"wrote {outDir}");
        return 0;
    }
}
