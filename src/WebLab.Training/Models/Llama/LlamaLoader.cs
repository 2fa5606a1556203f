// FromPretrained: read a checkpoint (HF folder or llama2.c .bin), build the module, load weights, move to device/dtype.
using TorchSharp;
using WebLab.Training.Models.Checkpoints;
using WebLab.Training.Runtime;
using static TorchSharp.torch;

namespace WebLab.Training.Models.Llama;

public static class LlamaLoader
{
    /// <summary>Loads config.json + model.safetensors (or a sharded index) from <paramref name="dir"/>.</summary>
    public static LlamaForCausalLM FromHfFolder(string dir, string device = "cpu", string dtype = "fp32")
    {
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"model folder not found: {dir}");
        var config = HfCheckpoint.LoadConfig(dir);
        return Build(config, HfCheckpoint.LoadStateDict(dir, CPU), device, dtype);
    }

    /// <summary>Loads a llama2.c legacy .bin checkpoint (query/key rows permuted into the rotate-half layout).</summary>
    public static LlamaForCausalLM FromLlama2c(string path, string device = "cpu", string dtype = "fp32")
    {
        var (config, weights) = Llama2cCheckpoint.Load(path);
        return Build(config, weights, device, dtype);
    }

    /// <summary>Writes the model as a Hugging Face folder (config.json + model.safetensors, fp32 on CPU).</summary>
    public static void SaveHfFolder(LlamaForCausalLM model, string dir)
    {
        using var scope = NewDisposeScope();
        var weights = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(CPU).to_type(ScalarType.Float32));
        HfCheckpoint.Save(dir, model.Config with { TorchDtype = "float32" }, weights);
    }

    public static LlamaForCausalLM Build(LlamaConfig config, Dictionary<string, Tensor> weights, string device, string dtype)
    {
        // Built outside any dispose scope: parameters must outlive every step.
        var model = new LlamaForCausalLM(config);
        StateDicts.CopyInto(model, weights);
        model.to(TorchRuntime.Device(device)).to(TorchRuntime.ParseDtype(dtype));
        model.eval();
        return model;
    }
}
