// Device and dtype choice from configuration strings ("auto" = CUDA when available, else CPU).
using TorchSharp;
using static TorchSharp.torch;

namespace WebLab.Training.Runtime;

public static class TorchRuntime
{
    /// <summary>"auto" | "cpu" | "cuda" | "cuda:N" → a concrete device name. Throws with a clear message for bad input.</summary>
    public static string ResolveDevice(string? setting)
    {
        var s = string.IsNullOrWhiteSpace(setting) ? "auto" : setting.Trim().ToLowerInvariant();
        if (s == "auto") return cuda.is_available() ? "cuda:0" : "cpu";
        if (s == "cpu") return s;
        if (s == "cuda" || s.StartsWith("cuda:", StringComparison.Ordinal))
        {
            if (!cuda.is_available()) throw new InvalidOperationException($"device '{setting}' asked for, but CUDA is not available in this build or on this host (build with -p:TorchBackend=cuda on a GPU host)");
            return s == "cuda" ? "cuda:0" : s;
        }
        throw new ArgumentException($"unknown device '{setting}': use auto, cpu, cuda or cuda:N");
    }

    public static Device Device(string setting) => new(ResolveDevice(setting));

    /// <summary>"fp32"/"float32" | "bf16"/"bfloat16".</summary>
    public static ScalarType ParseDtype(string? setting) => (setting ?? "fp32").Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" or "float" => ScalarType.Float32,
        "bf16" or "bfloat16" => ScalarType.BFloat16,
        _ => throw new ArgumentException($"unknown dtype '{setting}': use fp32 or bf16"),
    };
}
