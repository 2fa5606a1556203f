// The visual chat domain's options: the policy's Qwen2.5-VL folder and the data in EasyR1's layout (or the built-in
// sample), and how much of a single data file is held out. Checked here once, before launch.
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using WebLab.Training.Experiments;

namespace WebLab.Training.Domains.VisualChat;

public sealed record VisualChatOptions : DomainOptions, IValidatableObject
{
    [Description("The policy's Hugging Face folder: a vision-language model (Qwen2.5-VL: config.json, safetensors, preprocessor_config.json, tokenizer.json with its chat template). Start model, reference and evaluation opponent."), StringLength(4096)]
    [FilePath]
    public string Model { get; init; } = "";

    [Description("The data: a .parquet or .jsonl file with problem, answer and images (EasyR1's layout), or a folder with train.* and test.*; empty for the built-in sample (TinyScenes pictures drawn with SkiaSharp)."), StringLength(4096)]
    [FilePath]
    public string Data { get; init; } = "";

    [Description("Share of a single data file held out for evaluation, by a hash of each row's problem and image (a folder's test file is held out whole)."), Range(0.01, 0.5)]
    public double HeldOutShare { get; init; } = 0.1;

    public IEnumerable<ValidationResult> Validate(ValidationContext context)
    {
        if (string.IsNullOrWhiteSpace(Model)) yield return new("the visual chat domain needs the policy's Hugging Face folder (a Qwen2.5-VL model)", [nameof(Model)]);
        else if (!Directory.Exists(Model)) yield return new($"no folder at '{Model}'", [nameof(Model)]);
        else if (!File.Exists(Path.Combine(Model, "config.json"))) yield return new($"'{Model}' has no config.json (not a Hugging Face model folder)", [nameof(Model)]);
        if (!string.IsNullOrWhiteSpace(Data) && !File.Exists(Data) && !Directory.Exists(Data)) yield return new($"no file or folder at '{Data}'", [nameof(Data)]);
    }
}
