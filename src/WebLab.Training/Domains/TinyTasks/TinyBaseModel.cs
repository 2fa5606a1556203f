// The tiny TinyTasks base model: its architecture, and where the shipped copy lives.
using WebLab.Training.Models.Llama;

namespace WebLab.Training.Domains.TinyTasks;

public static class TinyBaseModel
{
    /// <summary>The shipped base model, copied next to the binaries (source: Domains/TinyTasks/BaseModel/).</summary>
    public static string ShippedPath => Path.Combine(AppContext.BaseDirectory, "models", "tinytasks-base");

    /// <summary>Environment variable naming another base model folder (start model and evaluation opponent of every method).</summary>
    public const string OverrideVariable = "WEBLAB_TINYTASKS_BASE";

    /// <summary>The base model in use: <see cref="OverrideVariable"/> when set, else the shipped copy.</summary>
    public static string CurrentPath => PathFor(Environment.GetEnvironmentVariable(OverrideVariable));

    /// <summary><paramref name="overrideDir"/> (full path) when given, else the shipped copy.</summary>
    public static string PathFor(string? overrideDir) => overrideDir is { Length: > 0 } ? Path.GetFullPath(overrideDir) : ShippedPath;

    /// <summary>A testbed's base: <see cref="OverrideVariable"/> when set (it names the base of every TinyTasks domain), else the testbed's shipped copy.</summary>
    public static string TestbedPath(TinyTasksTestbed testbed) =>
        Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(AppContext.BaseDirectory, "models", testbed.BaseFolder);

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

    /// <summary>Loads the base model in use (clear error when the folder has no model).</summary>
    public static LlamaForCausalLM Load(string device = "cpu") => LoadFrom(CurrentPath, device);

    /// <summary>Loads a base model folder; the error names the override variable when it is not the shipped copy.</summary>
    public static LlamaForCausalLM LoadFrom(string dir, string device = "cpu")
    {
        if (File.Exists(Path.Combine(dir, "model.safetensors"))) return LlamaLoader.FromHfFolder(dir, device);
        throw new FileNotFoundException(dir == ShippedPath
            ? $"the TinyTasks base model is missing at {dir}; rebuild, or regenerate it with `weblab train-base`"
            : dir.StartsWith(Path.Combine(AppContext.BaseDirectory, "models"), StringComparison.Ordinal)
                ? $"the TinyTasks testbed base is missing at {dir}; rebuild, or name another folder with {OverrideVariable}"
                : $"{OverrideVariable}={dir}: no model.safetensors there");
    }
}
