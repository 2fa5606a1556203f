// WebLab benchmarks (speed is measured here, never in timed tests). Prints a Markdown table.
//   dotnet run -c Release --project bench/WebLab.Bench -- [--fixtures DIR] [--runc PATH_TO_LLAMA2C_RUN]
// 1. generation tokens/s of stories260K at batch 1 and 64 (temperature 1, 256 positions);
// 2. optionally llama2.c's run.c on the same model, side by side (the yardstick: C, one thread);
// 3. SFT training tokens/s of the tiny TinyTasks base architecture.
// 4. an RL iteration's cost (LSP/GRPO), and 5. a Vision-SR1 / Vision-R1 step's (`-- vision`: those rows alone).
// `-- memory` instead measures the lab process's resident memory over runs (MemoryBench.cs); `-- models` the
// Hugging Face-layout rows alone: generation of a 15M model and the memory estimate against the measured peak (ModelsBench.cs);
// `-- plan` the memory plan of the papers' settings on 24/48/80/141 GiB cards (PlanTable.cs); `-- plan-check [--layers L]
// [--only VARIANT] [--glibc-default]` the plan against the measured peak of one lsp iteration on a ~0.5B policy (PlanCheck.cs); `-- folders` the random chat folders
// bench/gpu-check.sh launches lsp on (Folders.cs); `-- resize IMAGE...` the Qwen2.5-VL processor's resize against Pillow's (ResizeCheck.cs);
// `-- latency --url URL` a running lab's queue-to-start and live-update delays (LatencyBench.cs; bench/cluster.sh bench runs it).
using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using WebLab.Cli.Verbs;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Sft;
using WebLab.Training.Models.Llama;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Methods.Common;

if (args.FirstOrDefault() == "memory")
    return await MemoryBench.RunAsync(args.ElementAtOrDefault(1) ?? "Worker", int.TryParse(args.ElementAtOrDefault(2), out var runs) ? runs : 10);

if (args.FirstOrDefault() == "memory-probe") return ModelsBench.MemoryProbe(args[1]);
if (args.FirstOrDefault() == "models")
{
    Console.WriteLine("| benchmark | value | unit |\n|---|---:|---|");
    foreach (var (what, value, unit) in ModelsBench.Rows()) Console.WriteLine($"| {what} | {value:F0} | {unit} |");
    return 0;
}

if (args.FirstOrDefault() == "folders")
    return Folders.Run(Arg("--shape") ?? "small", Arg("--out") ?? throw new ArgumentException("folders: --out DIR"), Arg("--tokenizer"));
if (args.FirstOrDefault() == "plan-check-probe") return PlanCheck.Probe(args[1], args[2]);
if (args.FirstOrDefault() == "plan-check")
    return PlanCheck.Run(Arg("--fixtures") ?? Environment.GetEnvironmentVariable("WEBLAB_FIXTURES") ?? Path.Combine("..", "shared", "fixtures"),
        int.TryParse(Arg("--layers"), out var layers) ? layers : 24, Arg("--only"), args.Contains("--glibc-default"));

if (args.FirstOrDefault() == "resize") return ResizeCheck.Run(args.Skip(1).ToList());
if (args.FirstOrDefault() == "latency")
    return await WebLab.Bench.LatencyBench.RunAsync(Arg("--url") ?? throw new ArgumentException("latency: --url URL"),
        int.TryParse(Arg("--runs"), out var latencyRuns) ? latencyRuns : 20, Arg("--label") ?? "lab");

if (args.FirstOrDefault() == "plan")
{
    PlanTable.Print();
    return 0;
}

if (args.FirstOrDefault() == "vision")
{
    Console.WriteLine("| benchmark | value | unit |\n|---|---:|---|");
    foreach (var (what, value, unit) in VisionStep.Rows()) Console.WriteLine($"| {what} | {value:F0} | {unit} |");
    return 0;
}

var fixtures = Arg("--fixtures") ?? Environment.GetEnvironmentVariable("WEBLAB_FIXTURES") ?? Path.Combine("..", "shared", "fixtures");
var checkpoint = Path.Combine(fixtures, "stories260k", "stories260K.bin");
var tokenizer = Path.Combine(fixtures, "stories260k", "tok512.bin");
if (!File.Exists(checkpoint)) { Console.Error.WriteLine($"stories260K not found at {checkpoint}; pass --fixtures DIR or set WEBLAB_FIXTURES"); return 2; }

var rows = new List<(string What, double Value, string Unit)>();
using (var model = LlamaLoader.FromLlama2c(checkpoint))
{
    foreach (var batch in new[] { 1, 64 })
    {
        var best = Enumerable.Range(0, 3).Select(_ => BenchVerb.Measure(model, batch, 256).tokens_per_s).Max();
        rows.Add(($"generate stories260K, batch {batch}, 256 positions, T=1", best, "tokens/s"));
    }
}
if (Arg("--runc") is { } runc)
{
    var psi = new ProcessStartInfo(runc, [checkpoint, "-z", tokenizer, "-t", "1", "-n", "256", "-s", "1"]) { RedirectStandardError = true, RedirectStandardOutput = true };
    var best = 0.0;
    for (int i = 0; i < 3; i++)
    {
        using var p = Process.Start(psi)!;
        var text = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        var m = Regex.Match(text, @"achieved tok/s: ([0-9.]+)");
        if (m.Success) best = Math.Max(best, double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }
    rows.Add(("llama2.c run.c, same model, T=1, 256 positions", best, "tokens/s"));
}

var sft = (SftOptions)MethodOptions.Build(new SftMethod(), "base", new() { ["steps"] = 60, ["evalEvery"] = 1000, ["threads"] = 0 });
var log = new TokensLog();
var tinyTasks = new WebLab.Training.Domains.TinyTasks.TinyTasksDomain();
using (SftRecipe.Train(sft, tinyTasks, tinyTasks, "cpu", null, log, CancellationToken.None)) { }
rows.Add(("SFT tiny base (4 layers × 128, batch 64), median of 60 steps", log.MedianTokensPerSecond, "target tokens/s"));

// 4. One RL iteration's cost (LSP/GRPO): rollouts (16 queries × 8 answers at T = 1) and the update (policy forward +
// backward + reference forward + AdamW step) on those rows, at the tiny base size and a 10× larger model.
foreach (var (label, cfg) in new[]
{
    ("tiny base 4×128, 0.74M", TinyBaseModel.Config(4, 128, 4, 2)),
    ("about 10× larger 6×320, 6.8M", TinyBaseModel.Config(6, 320, 8, 4)),
})
{
    var (rollout, update, save) = RlIteration.Measure(cfg);
    rows.Add(($"RL iteration rollout, {label}", rollout, "generated tokens/s"));
    rows.Add(($"RL iteration update, {label}", update, "sequence tokens/s"));
    rows.Add(($"save the resumable state (model + AdamW + step), {label}, median of 5", save, "ms"));
}

// 5. One Vision-SR1 step at the tiny size (the shipped TinyScenes cold start, 16 prompts × 8 responses, 48 tokens):
// Play (first pass with images, the text-only second pass, rewards) and Update (policy and reference forwards, backward,
// AdamW), median of 5 steps after one warm-up; Vision-R1 is the same step without the second pass.
rows.AddRange(VisionStep.Rows());

Console.WriteLine("| benchmark | value | unit |\n|---|---:|---|");
foreach (var (what, value, unit) in rows) Console.WriteLine($"| {what} | {value:F0} | {unit} |");
return 0;

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();

sealed class TokensLog : IRunLog
{
    readonly List<double> rates = [];
    public double MedianTokensPerSecond => rates.Order().ElementAt(rates.Count / 2);
    public void Metrics(IReadOnlyList<MetricPoint> points)
    {
        foreach (var p in points.Where(p => p.Name == "train/tokens_per_s")) rates.Add(p.Value);
    }
    public void Samples(IReadOnlyList<SampleRecord> samples) { }
    public void Verdicts(IReadOnlyList<VerdictRecord> verdicts) { }
    public void Checkpoint(CheckpointRecord checkpoint) { }
    public void Progress(long step, long totalSteps) { }
    public void Info(string message) { }
}

static class RlIteration
{
    /// <returns>Rollout and update tokens/s, and the median milliseconds of saving the run's resumable state (every
    /// checkpointEvery steps: model safetensors, AdamW moments, step).</returns>
    public static (double Rollout, double Update, double SaveMs) Measure(LlamaConfig cfg, int iterations = 5)
    {
        TorchSharp.torch.manual_seed(1);
        using var policy = new LlamaForCausalLM(cfg);
        using var reference = new LlamaForCausalLM(cfg);
        using var optimizer = TorchSharp.torch.optim.AdamW(policy.parameters(), lr: 1e-5);
        var domain = new TinyTasksRlDomain(partialCredit: true);
        var rng = new Random(1);
        double genTokens = 0, genSeconds = 0, updTokens = 0, updSeconds = 0;
        for (int it = 0; it <= iterations; it++)
        {
            var prompts = Enumerable.Range(0, 16).SelectMany(_ => Enumerable.Repeat(domain.SolverPrompt(domain.Next(rng)), 8)).ToArray();
            var clock = Stopwatch.StartNew();
            var gen = Rollouts.Sample(policy, prompts, domain.MaxAnswerTokens, 1.0, it, domain);
            var g = clock.Elapsed.TotalSeconds;
            clock.Restart();
            using (var scope = TorchSharp.torch.NewDisposeScope())
            {
                var rows = Rollouts.Score(policy, reference, prompts, gen.Completions, domain.Tokenizer.PadId, temperature: 1.0);
                var (loss, _) = PolicyLoss.Compute(rows.Logp, rows.RefLogp, rows.Mask, TorchSharp.torch.zeros(prompts.Length), 0.05, KlEstimator.K3, LossAveraging.Sequence);
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
            }
            if (it == 0) continue; // warm-up
            genTokens += gen.GeneratedTokens; genSeconds += g;
            updTokens += prompts.Select((p, i) => p.Length + gen.Completions[i].Length).Sum(); updSeconds += clock.Elapsed.TotalSeconds;
        }
        var dir = Directory.CreateTempSubdirectory("weblab-bench-state-").FullName;
        var saves = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            TrainingState.Save(dir, policy, optimizer, i + 1, NullRunLog.Instance);
            saves.Add(clock.Elapsed.TotalMilliseconds);
        }
        Directory.Delete(dir, recursive: true);
        return (genTokens / genSeconds, updTokens / updSeconds, saves.Order().ElementAt(2));
    }
}

static class VisionStep
{
    public static IEnumerable<(string What, double Value, string Unit)> Rows()
    {
        foreach (var selfReward in new[] { true, false })
        {
            var (play, update) = Measure(selfReward);
            var name = selfReward ? "Vision-SR1" : "Vision-R1";
            yield return ($"{name} step, rollouts{(selfReward ? " (both passes)" : "")}, tiny VLM, 16 × 8, median of 5", play, "ms");
            yield return ($"{name} step, update, tiny VLM, median of 5", update, "ms");
        }
    }

    public static (double PlayMs, double UpdateMs) Measure(bool selfReward)
    {
        var domain = new WebLab.Training.Domains.TinyScenes.TinyScenesDomain();
        var o = (WebLab.Training.Methods.VisionSr1.VisionSr1Options)MethodOptions.Build(new WebLab.Training.Methods.VisionSr1.VisionSr1Method(selfReward ? WebLab.Training.Methods.VisionSr1.VisionArm.SelfReward : WebLab.Training.Methods.VisionSr1.VisionArm.ChainOfThought), "tiny-cpu", null);
        using var policy = domain.LoadBaseModel("cpu");
        using var reference = domain.LoadBaseModel("cpu");
        foreach (var p in reference.parameters()) p.requires_grad = false;
        using var optimizer = TorchSharp.torch.optim.AdamW(policy.parameters(), lr: o.LearningRate);
        var recipe = new WebLab.Training.Methods.VisionSr1.VisionSr1Recipe(o, selfReward, selfReward ? WebLab.Training.Domains.ResponseFormat.SeeThink : WebLab.Training.Domains.ResponseFormat.Think, domain, policy, reference, new TokensLog());
        policy.train();
        var play = new List<double>();
        var update = new List<double>();
        for (int step = 1; step <= 6; step++)
        {
            using var scope = TorchSharp.torch.NewDisposeScope();
            var clock = Stopwatch.StartNew();
            var (rows, advantages, prompts) = recipe.Play(step);
            var played = clock.Elapsed.TotalMilliseconds;
            recipe.Update(rows, advantages, prompts, optimizer);
            if (step > 1) { play.Add(played); update.Add(clock.Elapsed.TotalMilliseconds - played); }
        }
        return (play.Order().ElementAt(2), update.Order().ElementAt(2));
    }
}
