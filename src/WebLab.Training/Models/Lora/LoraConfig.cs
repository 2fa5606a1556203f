// A LoRA adapter's settings, written and read as PEFT's adapter_config.json (peft_type LORA, r, lora_alpha, lora_dropout,
// target_modules; the rest at PEFT's values for a plain adapter), so an adapter saved here loads in PEFT and vLLM.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace WebLab.Training.Models.Lora;

/// <param name="R">The rank r: A is [r, in], B is [out, r].</param>
/// <param name="Alpha">lora_alpha: the update is scaled by alpha / r.</param>
/// <param name="Dropout">Dropout on the adapter's input while training.</param>
/// <param name="TargetModules">The linear layers adapted, by their last name (q_proj, …, down_proj).</param>
public sealed record LoraConfig(int R, double Alpha, double Dropout, IReadOnlyList<string> TargetModules)
{
    public const string ConfigFile = "adapter_config.json", WeightsFile = "adapter_model.safetensors";

    /// <summary>PEFT's usual targets for a Llama-family decoder: every attention and MLP projection.</summary>
    public static readonly IReadOnlyList<string> AllLinear = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"];

    public double Scaling => Alpha / R;

    /// <summary>adapter_config.json as PEFT writes it for a causal LM.</summary>
    public string ToPeftJson(string? baseModel) => new JsonObject
    {
        ["peft_type"] = "LORA", ["task_type"] = "CAUSAL_LM", ["base_model_name_or_path"] = baseModel,
        ["r"] = R, ["lora_alpha"] = Alpha, ["lora_dropout"] = Dropout,
        ["target_modules"] = new JsonArray([.. TargetModules.Select(t => (JsonNode)t)]),
        ["bias"] = "none", ["fan_in_fan_out"] = false, ["inference_mode"] = true, ["init_lora_weights"] = true,
        ["modules_to_save"] = null, ["layers_to_transform"] = null, ["layers_pattern"] = null,
        ["rank_pattern"] = new JsonObject(), ["alpha_pattern"] = new JsonObject(), ["use_rslora"] = false, ["use_dora"] = false, ["revision"] = null,
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    /// <summary>Reads PEFT's adapter_config.json; a clear error for another PEFT type or a variant this build does not apply.</summary>
    public static LoraConfig FromPeftJson(string json, string path)
    {
        var o = JsonNode.Parse(json) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        if ((string?)o["peft_type"] is not "LORA") throw new InvalidDataException($"{path}: peft_type '{o["peft_type"]}', expected LORA");
        if (o["use_dora"]?.GetValue<bool>() == true || o["use_rslora"]?.GetValue<bool>() == true)
            throw new InvalidDataException($"{path}: DoRA and rsLoRA adapters are not supported, only plain LoRA");
        if (o["fan_in_fan_out"]?.GetValue<bool>() == true) throw new InvalidDataException($"{path}: fan_in_fan_out adapters (Conv1D layers) are not supported");
        var targets = o["target_modules"] switch
        {
            JsonArray a => a.Select(t => (string)t!).ToArray(),
            JsonValue v when v.TryGetValue<string>(out var s) => throw new InvalidDataException($"{path}: target_modules as a regular expression ('{s}') is not supported; list the module names"),
            _ => throw new InvalidDataException($"{path}: no target_modules"),
        };
        var r = o["r"]?.GetValue<int>() ?? throw new InvalidDataException($"{path}: no r");
        return new(r, o["lora_alpha"]?.GetValue<double>() ?? 8, o["lora_dropout"]?.GetValue<double>() ?? 0, targets);
    }
}
