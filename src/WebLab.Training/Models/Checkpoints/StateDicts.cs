// Copies a checkpoint's tensors into a module built outside any dispose scope: every expected name must be there with
// its shape (clear errors otherwise); the checkpoint's tensors are disposed once copied.
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Checkpoints;

public static class StateDicts
{
    public static void CopyInto(nn.Module module, Dictionary<string, Tensor> weights)
    {
        var parameters = module.state_dict();
        var missing = parameters.Keys.Where(k => !weights.ContainsKey(k)).ToList();
        if (missing.Count > 0) throw new InvalidDataException($"checkpoint lacks {missing.Count} tensor(s), e.g. {string.Join(", ", missing.Take(3))}");
        using (no_grad())
        {
            foreach (var (key, target) in parameters)
            {
                var source = weights[key];
                if (!source.shape.SequenceEqual(target.shape))
                    throw new InvalidDataException($"{key}: checkpoint shape [{string.Join(", ", source.shape)}] ≠ model shape [{string.Join(", ", target.shape)}]");
                target.copy_(source);
            }
        }
        foreach (var w in weights.Values) w.Dispose();
    }
}
