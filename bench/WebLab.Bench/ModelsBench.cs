// `-- models`: Hugging Face-layout models of real size classes (TinyHfFolders: random weights, Llama layout).
// 1. Generation tokens/s of a model of about 15M parameters at batch 1 and 64 (T = 1, 256 positions).
// 2. The memory estimate (Models/MemoryEstimate) beside the measured peak of a training step for two model sizes: each
//    size runs in a child process (`-- memory-probe NAME`), which reports its resident memory once libtorch is warm
//    and its high-water mark (VmHWM) after loading the model and one forward/backward/AdamW step; measured = HWM − warm.
//    Two more steps are reported too: glibc keeps freed blocks, so the process's resident set creeps up past what the
//    tensors need (the estimate counts the tensors).
using System.Diagnostics;
using System.Globalization;
using TorchSharp;
using WebLab.Cli.Verbs;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using static TorchSharp.torch;

static class ModelsBench
{
    public static readonly Dictionary<string, (TinyHfSpec Spec, int Batch, int Sequence)> Sizes = new()
    {
        ["15M"] = (new TinyHfSpec { Hidden = 384, Layers = 8, Heads = 6, KvHeads = 6, Intermediate = 1024, MaxPositions = 512 }, 8, 256),
        ["60M"] = (new TinyHfSpec { Hidden = 768, Layers = 8, Heads = 12, KvHeads = 4, Intermediate = 2048, MaxPositions = 512 }, 8, 256),
    };

    public static IEnumerable<(string What, double Value, string Unit)> Rows()
    {
        var dir = Directory.CreateTempSubdirectory("weblab-bench-hf-").FullName;
        try
        {
            TinyHfFolders.Write(dir, Sizes["15M"].Spec);
            using var model = LlamaLoader.FromHfFolder(dir);
            var parameters = model.parameters().Sum(p => p.NumberOfElements);
            foreach (var batch in new[] { 1, 64 })
            {
                var best = Enumerable.Range(0, 3).Select(_ => BenchVerb.Measure(model, batch, 256).tokens_per_s).Max();
                yield return ($"generate, HF-layout Llama {parameters / 1e6:F1}M (8 × 384), batch {batch}, 256 positions, T=1", best, "tokens/s");
            }
        }
        finally { Directory.Delete(dir, recursive: true); }

        foreach (var (name, (spec, batch, sequence)) in Sizes)
        {
            var (warm, peak, peak3) = Probe(name);
            var config = new LlamaConfig
            {
                VocabSize = 264, HiddenSize = spec.Hidden, IntermediateSize = spec.Intermediate, NumLayers = spec.Layers, NumHeads = spec.Heads,
                NumKvHeads = spec.KvHeads, MaxPositions = spec.MaxPositions, TieWordEmbeddings = spec.Tied,
            };
            var estimate = MemoryEstimate.Training(config, batch, sequence);
            double measured = (peak - warm) / (double)(1 << 20), estimated = estimate.Total / (double)(1 << 20);
            yield return ($"training step memory, {estimate.Parameters / 1e6:F1}M params, batch {batch} × {sequence}: estimated", estimated, "MiB");
            yield return ($"training step memory, {estimate.Parameters / 1e6:F1}M params, batch {batch} × {sequence}: measured peak − warm process", measured, "MiB");
            yield return ($"training step memory, {estimate.Parameters / 1e6:F1}M params: estimate / measured", 100 * estimated / measured, "%");
            yield return ($"training step memory, {estimate.Parameters / 1e6:F1}M params: measured peak − warm after 3 steps (allocator retention)", (peak3 - warm) / (double)(1 << 20), "MiB");
        }
    }

    static (long Warm, long Peak, long Peak3) Probe(string name)
    {
        var self = typeof(ModelsBench).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet", [self, "memory-probe", name]) { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var line = p.StandardOutput.ReadToEnd().Trim().Split('\n')[^1];
        p.WaitForExit();
        var parts = line.Split(' ');
        return (long.Parse(parts[0], CultureInfo.InvariantCulture), long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>The child's side: prints "WARM_BYTES PEAK_AFTER_1_STEP PEAK_AFTER_3_STEPS".</summary>
    public static int MemoryProbe(string name)
    {
        var (spec, batch, sequence) = Sizes[name];
        torch.set_num_threads(1);
        using (NewDisposeScope()) { var x = randn(64, 64); (x.matmul(x)).sum().item<float>(); }   // libtorch loaded and warm
        var dir = Directory.CreateTempSubdirectory("weblab-probe-").FullName;
        TinyHfFolders.Write(dir, spec);
        GC.Collect();
        long warm = Status("VmRSS");
        using var model = LlamaLoader.FromHfFolder(dir);
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        var rng = new Generator(1);
        long peak1 = 0;
        for (int step = 0; step < 3; step++)
        {
            using var scope = NewDisposeScope();
            var tokens = randint(0, model.Config.VocabSize, [batch, sequence], generator: rng);
            var logits = model.forward(tokens);                                                  // [B, T, V]
            var loss = nn.functional.cross_entropy(logits[.., ..^1].reshape(-1, logits.shape[2]), tokens[.., 1..].reshape(-1));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            if (step == 0) peak1 = Status("VmHWM");
        }
        Directory.Delete(dir, recursive: true);
        Console.WriteLine($"{warm} {peak1} {Status("VmHWM")}");
        return 0;
    }

    static long Status(string key) => WebLab.Training.Runtime.DeviceMemory.ProcStatus(key) ?? throw new IOException($"/proc/self/status has no {key}");
}
