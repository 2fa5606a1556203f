// weblab merge --model DIR --adapter DIR --out DIR: folds a LoRA adapter (PEFT's adapter_config.json and
// adapter_model.safetensors) into its base model and writes a full Hugging Face folder, W + (α/r)·B·A for every adapted
// layer; the base folder's tokenizer and generation files go along.
using WebLab.Training.Models;
using WebLab.Training.Models.Lora;

namespace WebLab.Cli.Verbs;

public static class MergeVerb
{
    static readonly string[] CompanionFiles = ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "generation_config.json"];

    public static int Run(Args args)
    {
        var modelDir = Path.GetFullPath(args.Required("model"));
        var adapterDir = Path.GetFullPath(args.Required("adapter"));
        var outDir = Path.GetFullPath(args.Required("out"));
        args.EnsureAllUsed();
        if (!Directory.Exists(modelDir)) throw new CliException($"merge: --model: no folder at '{modelDir}'");
        if (!Directory.Exists(adapterDir)) throw new CliException($"merge: --adapter: no folder at '{adapterDir}'");
        if (Path.GetFullPath(outDir) == modelDir) throw new CliException("merge: --out must not be the base model's folder");
        using var model = ModelFamilies.Load(modelDir);
        var config = LoraAdapters.Load((TorchSharp.torch.nn.Module)model, adapterDir);
        model.Save(outDir);                                                  // the adapters folded into the weights
        foreach (var file in CompanionFiles.Where(f => File.Exists(Path.Combine(modelDir, f))))
            File.Copy(Path.Combine(modelDir, file), Path.Combine(outDir, file), overwrite: true);
        Console.Error.WriteLine($"merged a rank-{config.R} adapter on {string.Join(", ", config.TargetModules)} into {outDir}");
        return 0;
    }
}
