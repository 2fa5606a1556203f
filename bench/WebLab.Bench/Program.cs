using System.Diagnostics;
using TorchSharp;
using WebLab.Training.Generation;
using WebLab.Training.Models.Llama;

var cfg = new LlamaConfig { VocabSize = 512, HiddenSize = 64, IntermediateSize = 172, NumLayers = 5, NumHeads = 8, NumKvHeads = 4, MaxPositions = 512 };
torch.manual_seed(1);
var model = new LlamaForCausalLM(cfg); model.eval();
foreach (var threads in new[] { 1 })
{
    torch.set_num_threads(threads);
    foreach (var b in new[] { 64 })
    {
        var prompts = Enumerable.Range(0, b).Select(_ => new[] { 1 }).ToArray();
        BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 20, Temperature = 1, Seed = 1 }, 0);
        var sw = Stopwatch.StartNew();
        var r = BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 255, Temperature = 1, Seed = 1 }, 0);
        Console.WriteLine($"threads {threads} batch {b}: {r.GeneratedTokens / sw.Elapsed.TotalSeconds:F0} tok/s");
        sw.Restart();
        r = BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 255, Temperature = 0 }, 0);
        Console.WriteLine($"greedy threads {threads} batch {b}: {r.GeneratedTokens / sw.Elapsed.TotalSeconds:F0} tok/s");
        using (torch.no_grad()) {
        var x = torch.randint(0, 512, [b, 1], torch.ScalarType.Int64);
        var pos = torch.zeros([b, 1], torch.ScalarType.Int64);
        sw.Restart();
        for (int i = 0; i < 255; i++) { using var sc = torch.NewDisposeScope(); model.Forward(x, pos, null, null); }
        Console.WriteLine($"forward-only no cache batch {b}: {255.0*b / sw.Elapsed.TotalSeconds:F0} tok/s");
        var logits = torch.randn(b, 512);
        sw.Restart();
        for (int i = 0; i < 255; i++) { using var sc = torch.NewDisposeScope(); logits.softmax(-1).multinomial(1); }
        Console.WriteLine($"multinomial batch {b}: {255.0 / sw.Elapsed.TotalSeconds:F0} steps/s");
        }
    }
}

using (torch.no_grad())
{
    var logits = torch.randn(64, 512);
    var gen = new torch.Generator(1);
    var sw = Stopwatch.StartNew();
    for (int i = 0; i < 500; i++) { using var sc = torch.NewDisposeScope(); var u = torch.rand(new long[] { 64, 512 }, generator: gen); (logits - u.clamp_min_(1e-20).log_().neg_().log_()).argmax(-1); }
    Console.WriteLine($"gumbel: {sw.Elapsed.TotalMilliseconds / 500:F3} ms");
    sw.Restart();
    for (int i = 0; i < 500; i++) { using var sc = torch.NewDisposeScope(); logits.softmax(-1).multinomial(1, false, gen); }
    Console.WriteLine($"multinomial: {sw.Elapsed.TotalMilliseconds / 500:F3} ms");
    var q = torch.randn(64, 4, 2, 8); var cacheK = torch.randn(64, 4, 512, 8);var cacheV = torch.randn(64, 4, 512, 8);
    int S = 128;
    sw.Restart();
    for (int i = 0; i < 200; i++) { using var sc = torch.NewDisposeScope(); var k = cacheK.narrow(2, 0, S); var v = cacheV.narrow(2, 0, S);
        var sc2 = (q.unsqueeze(3) * k.unsqueeze(2)).sum(-1).mul_(1 / Math.Sqrt(8)).softmax(-1); // [B,nkv,rep,S]
        (sc2.unsqueeze(-1) * v.unsqueeze(2)).sum(-2); }
    Console.WriteLine($"S={S} elementwise: {sw.Elapsed.TotalMilliseconds / 200:F3} ms");
}
