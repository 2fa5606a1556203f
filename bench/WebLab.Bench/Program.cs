using System.Diagnostics;
using TorchSharp;
using WebLab.Training.Models.Llama;

var model = LlamaLoader.FromLlama2c("../shared/fixtures/stories260k/stories260K.bin");
torch.set_num_threads(int.Parse(args[0]));
using var ng = torch.no_grad();
int B = 64;
var x = torch.randint(3, 512, [B, 1], torch.ScalarType.Int64);
foreach (var S in new[] { 0, 64, 128, 250 })
{
    using var cache = model.NewCache(B, 300);
    if (S > 0) model.Forward(torch.randint(3, 512, [B, S], torch.ScalarType.Int64), torch.arange(S).unsqueeze(0).expand(B, -1), cache, null);
    var pos = torch.full([B, 1], S, torch.ScalarType.Int64);
    var sw = Stopwatch.StartNew();
    int n = 200;
    for (int i = 0; i < n; i++)
    {
        using var sc = torch.NewDisposeScope();
        model.Forward(x, pos, cache, null);
        // roll back so S stays fixed
        typeof(WebLab.Training.Models.Modules.KvCache).GetProperty("Length")!.SetValue(cache, S);
    }
    Console.WriteLine($"S={S}: {sw.Elapsed.TotalMilliseconds / n:F3} ms/step");
}
