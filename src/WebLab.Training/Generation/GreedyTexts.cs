// Greedy completions of many prompts, decoded: batches of 64, one dispose scope and no gradient each, the model in eval
// mode while it runs (and put back as it was). What evaluations of a model on its own share.
using WebLab.Training.Models;
using WebLab.Training.Tokenizers;
using static TorchSharp.torch;

namespace WebLab.Training.Generation;

public static class GreedyTexts
{
    const int Batch = 64;

    public static List<string> Of(IPolicy model, IReadOnlyList<Prompt> prompts, ITokenizer tok, int maxNewTokens)
    {
        var texts = new List<string>(prompts.Count);
        var wasTraining = model.training;
        model.eval();
        using (no_grad())
            foreach (var chunk in prompts.Chunk(Batch))
            {
                using var scope = NewDisposeScope();
                var result = BatchGenerator.Generate(model, chunk, new GenerationOptions { MaxNewTokens = maxNewTokens, Temperature = 0, StopTokens = [tok.EosId] }, tok.PadId);
                texts.AddRange(result.Completions.Select(c => tok.Decode(c)));
            }
        if (wasTraining) model.train();
        return texts;
    }
}
