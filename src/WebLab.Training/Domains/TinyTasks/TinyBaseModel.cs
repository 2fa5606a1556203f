// The tiny TinyTasks base model: its architecture, and where the shipped copy lives.
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Domains.TinyTasks;

public static class TinyBaseModel
{
    /// <summary>The shipped base model, copied next to the binaries (source: Domains/TinyTasks/BaseModel/).</summary>
    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, "models", "tinytasks-base");

    /// <summary>A character-level Llama for TinyTasks: tied head, SwiGLU width ≈ 8/3·d rounded to 32.</summary>
    public static LlamaConfig Config(int layers, int width, int heads, int kvHeads) => new()
    {
        VocabSize = TinyTasksTokenizer.Instance.VocabSize,
        HiddenSize = width,
        IntermediateSize = (width * 8 / 3 + 31) / 32 * 32,
        NumLayers = layers,
        NumHeads = heads,
        NumKvHeads = kvHeads,
        MaxPositions = 128, // prompt ≤ 2 + 64 + 1, answer ≤ 16: 128 is ample
        RopeTheta = 10000,
        RmsNormEps = 1e-5,
        TieWordEmbeddings = true,
        BosTokenId = TinyTasksTokenizer.Instance.BosId,
        EosTokenIds = [TinyTasksTokenizer.Instance.EosId],
    };

    /// <summary>Loads the shipped base model (clear error when the build did not copy it).</summary>
    public static LlamaForCausalLM Load(string device = "cpu") =>
        File.Exists(Path.Combine(ShippedPath, "model.safetensors"))
            ? LlamaLoader.FromHfFolder(ShippedPath, device)
            : throw new FileNotFoundException($"the TinyTasks base model is missing at {ShippedPath}; rebuild, or regenerate it with `weblab train-base`");
}
