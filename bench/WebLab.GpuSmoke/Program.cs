// GPU smoke test: which libtorch TorchSharp loaded, whether it sees CUDA, and one training step and a batch-64 generation
// of the lab's tiny Llama on the chosen device. Run by bench/gpu-smoke.sh; every line it prints starts with "smoke:".
//   [WEBLAB_LIBTORCH_DIR=.../torch/lib] WebLab.GpuSmoke [probe] [train] [generate] [greedy] [errors] [--device auto|cpu|cuda:N] [--sizes base,6x320x8]
// Phases: 1. probe: libtorch folder, mapped libraries, CUDA availability, devices → 2. train: AdamW steps on random tokens →
// 3. generate (T = 1) / greedy: 64 rows from BOS to the context limit, tokens/s (as bench/WebLab.Bench measures it) →
// 4. errors: whether libtorch errors reach .NET as exceptions.
using System.Diagnostics;
using TorchSharp;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Generation;
using WebLab.Training.Models.Llama;
using WebLab.Training.Runtime;
using static TorchSharp.torch;

var phases = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToHashSet();
if (phases.Count == 0) phases = ["probe", "train", "generate"];
var deviceSetting = Arg("--device") ?? "auto";
var sizes = (Arg("--sizes") ?? "base").Split(',', StringSplitOptions.RemoveEmptyEntries);

// step 1: probe. ExternalLibTorch first: nothing may touch TorchSharp's natives before it.
ExternalLibTorch.Loaded? external;
try { external = ExternalLibTorch.Use(null); }
catch (Exception e) when (e is IOException or InvalidOperationException) { Say($"libtorch REFUSED: {e.Message}"); return 4; }
Say(external is null
    ? "libtorch: the build's own (no WEBLAB_LIBTORCH_DIR)"
    : $"libtorch: {external.Directory}, version {external.Version ?? "not found beside it"}; preloaded {string.Join(", ", external.Files.Select(Path.GetFileName))}");
bool cudaAvailable;
try { cudaAvailable = cuda.is_available(); }
catch (Exception e) { Say($"TorchSharp FAILED to initialise: {e.GetType().Name}: {e.Message}"); return 5; }
Say($"torch.cuda.is_available: {cudaAvailable}; device_count: {(cudaAvailable ? cuda.device_count() : 0)}; cudnn: {(cudaAvailable && cuda.is_cudnn_available())}; TorchSharp built for LibTorch {__version__}");
foreach (var lib in MappedNatives()) Say($"mapped: {lib}");
if (cudaAvailable) foreach (var gpu in NvidiaSmi()) Say($"gpu: {gpu}");
Say($"cpu threads: {get_num_threads()} of {Environment.ProcessorCount} cores");
string device;
try { device = TorchRuntime.ResolveDevice(deviceSetting); }
catch (InvalidOperationException e) { Say($"device {deviceSetting}: {e.Message}"); return 3; }
Say($"device: {device}{(cudaAvailable ? "" : " (CUDA is not available: CPU path)")}");

var failed = false;
foreach (var size in sizes)
{
    if (phases.Contains("train")) failed |= !Try($"train {size} on {device}", () => Train(size, device));
    if (phases.Contains("generate")) failed |= !Try($"generate {size} on {device}", () => Generate(size, device, temperature: 1));
    if (phases.Contains("greedy")) failed |= !Try($"greedy {size} on {device}", () => Generate(size, device, temperature: 0));
}
if (phases.Contains("errors")) Errors(device);
return failed ? 1 : 0;

// step 2: one AdamW step timed alone (it pays CUDA/cuBLAS start-up), then 5 more: median ms and target tokens/s.
static void Train(string size, string device)
{
    using var model = Model(size, device);
    model.train();
    using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4); // after .to(device)
    const int batch = 64, length = 64;
    var ms = new List<double>();
    double firstLoss = 0, lastLoss = 0;
    for (int step = 0; step < 6; step++)
    {
        var clock = Stopwatch.StartNew();
        using (var scope = NewDisposeScope())
        {
            var tokens = randint(3, model.Config.VocabSize, [batch, length], dtype: ScalarType.Int64, device: new Device(device)); // [B, T]
            var logits = model.forward(tokens);                                                                               // [B, T, V]
            var loss = nn.functional.cross_entropy(logits.narrow(1, 0, length - 1).reshape(-1, model.Config.VocabSize), tokens.narrow(1, 1, length - 1).reshape(-1));
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
            lastLoss = loss.item<float>(); // the read waits for the GPU, so the clock includes the step
            if (step == 0) firstLoss = lastLoss;
        }
        ms.Add(clock.Elapsed.TotalMilliseconds);
    }
    var median = ms.Skip(1).Order().ElementAt(2);
    Say($"train {Describe(model)} on {device}: batch {batch}×{length}, loss {firstLoss:F3} → {lastLoss:F3}; first step {ms[0]:F0} ms, "
        + $"then median {median:F1} ms = {batch * (length - 1) / (median / 1000):F0} target tokens/s");
}

// step 3: 64 rows from BOS to the context limit at T = 1 (or greedy), no early stop; best of 3 after an 8-token warm-up.
static void Generate(string size, string device, double temperature)
{
    using var model = Model(size, device);
    model.eval();
    var prompts = Enumerable.Range(0, 64).Select(_ => new[] { model.Config.BosTokenId ?? 1 }).ToArray();
    BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 8, Seed = 1 }, 0);
    var best = (Tokens: 0L, Seconds: double.MaxValue);
    for (int i = 0; i < 3; i++)
    {
        var clock = Stopwatch.StartNew();
        var result = BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = model.Config.MaxPositions, Temperature = temperature, Seed = 1 + i }, 0);
        if (clock.Elapsed.TotalSeconds < best.Seconds) best = (result.GeneratedTokens, clock.Elapsed.TotalSeconds);
    }
    Say($"generate {Describe(model)} on {device}: batch 64, {best.Tokens / 64} positions, T={temperature}: {best.Tokens / best.Seconds:F0} tokens/s ({best.Seconds:F2} s)");
}

// step 4: does a libtorch error reach .NET as an exception? libLibTorchSharp.so catches c10::Error by value, with the
// layout of the LibTorch it was built against.
static void Errors(string device)
{
    var d = new Device(device);
    Expect($"mm [2, 3] × [2, 3] on {device}", () => { using var a = ones(2, 3, device: d); using var _ = a.mm(a); }); // THSTensor_mm has CATCH; matmul has none
    if (d.type == DeviceType.CUDA)
        Expect($"rand on {device} with a TorchSharp Generator (always CPU)", () =>
        {
            using var g = new torch.Generator(1, d);
            using var _ = rand([2, 3], generator: g, device: d);
        });
}

static void Expect(string what, Action action)
{
    try { action(); Say($"error test, {what}: no error raised"); }
    catch (Exception e) { Say($"error test, {what}: arrives as {e.GetType().Name}: {e.Message.Split('\n')[0]}"); }
}

// "base": the shipped TinyTasks base model (4 layers × 128); "LxWxH": a random one with L layers, width W, H heads over H/2 KV heads.
static LlamaForCausalLM Model(string size, string device)
{
    if (size == "base") return TinyBaseModel.LoadFrom(TinyBaseModel.ShippedPath, device);
    var parts = size.Split('x').Select(int.Parse).ToArray();
    if (parts.Length != 3) throw new ArgumentException($"size '{size}': use base or LxWxH, e.g. 6x320x8");
    int layers = parts[0], width = parts[1], heads = parts[2];
    manual_seed(1);
    var model = new LlamaForCausalLM(TinyBaseModel.Config(layers, width, heads, heads / 2));
    model.to(new Device(device));
    return model;
}

static string Describe(LlamaForCausalLM m) =>
    $"{m.Config.NumLayers}×{m.Config.HiddenSize} ({m.parameters().Sum(p => p.numel()) / 1e6:F2}M)";

static bool Try(string what, Action action)
{
    try { action(); return true; }
    catch (Exception e) { Say($"{what} FAILED: {e.GetType().Name}: {e.Message}"); return false; }
}

// The libtorch, CUDA and TorchSharp libraries this process has mapped, with their folders (Linux).
static IEnumerable<string> MappedNatives() => File.Exists("/proc/self/maps")
    ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
        .Where(p => p.StartsWith('/') && Path.GetFileName(p) is var f
            && (f.StartsWith("libtorch", StringComparison.Ordinal) || f.StartsWith("libc10", StringComparison.Ordinal)
                || f.StartsWith("libLibTorchSharp", StringComparison.Ordinal) || f.StartsWith("libcudart", StringComparison.Ordinal)
                || f.StartsWith("libcuda.", StringComparison.Ordinal) || f.StartsWith("libcublas.", StringComparison.Ordinal)))
        .Distinct()
    : [];

// TorchSharp 0.107 has no get_device_name: ask nvidia-smi when it is there.
static IEnumerable<string> NvidiaSmi()
{
    try
    {
        using var p = Process.Start(new ProcessStartInfo("nvidia-smi", "--query-gpu=index,name,memory.total,driver_version --format=csv,noheader") { RedirectStandardOutput = true })!;
        var lines = p.StandardOutput.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        p.WaitForExit();
        return lines;
    }
    catch (System.ComponentModel.Win32Exception) { return ["(nvidia-smi not found; TorchSharp does not expose device names)"]; }
}

static void Say(string line) => Console.WriteLine("smoke: " + line);

string? Arg(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
