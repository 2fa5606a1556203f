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

    /// <summary>
    /// Writes the model as a Hugging Face folder: fp32 in one model.safetensors by default (training checkpoints, exact
    /// resume), or in <paramref name="layout"/>'s dtype and shards (to give a folder back as it came; HfLayout.Of).
    /// </summary>
    public static void SaveHfFolder(LlamaForCausalLM model, string dir, HfLayout? layout = null)
    {
        layout ??= HfLayout.Fp32;
        using var scope = NewDisposeScope();
        var dtype = layout.ScalarType;
        var weights = Lora.LoraAdapters.Merged(model).ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(CPU).to_type(dtype));   // adapters folded in
        HfCheckpoint.Save(dir, model.Config with { TorchDtype = layout.Dtype }, weights, layout: layout);
    }

    public static LlamaForCausalLM Build(LlamaConfig config, Dictionary<string, Tensor> weights, string device, string dtype) =>
        Build(() => new LlamaForCausalLM(config), weights, device, dtype);

    /// <summary>Builds a module (any head over the backbone), copies the weights in, moves it to device and dtype, eval mode.</summary>
    public static T Build<T>(Func<T> create, Dictionary<string, Tensor> weights, string device, string dtype) where T : nn.Module
    {
        // Built outside any dispose scope: parameters must outlive every step.
        var model = create();
        StateDicts.CopyInto(model, weights);
        model.to(TorchRuntime.Device(device)).to(TorchRuntime.ParseDtype(dtype));
        model.eval();
        return model;
    }
}
