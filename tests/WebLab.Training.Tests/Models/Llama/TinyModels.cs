// Small random Llama models for tests: GQA (8 heads over 4 KV heads), both head kinds.
using TorchSharp;
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Tests.Models.Llama;

public static class TinyModels
{
    public static LlamaConfig Config(bool tied = true) => new()
    {
        VocabSize = 40, HiddenSize = 32, IntermediateSize = 48, NumLayers = 2,
        NumHeads = 4, NumKvHeads = 2, MaxPositions = 64, TieWordEmbeddings = tied,
        InitializerRange = 0.3, // large enough that logits differ by several nats: parity tests then mean something
    };

    public static LlamaForCausalLM Random(int seed = 1, bool tied = true)
    {
        torch.manual_seed(seed);
        var model = new LlamaForCausalLM(Config(tied));
        model.eval();
        return model;
    }
}
