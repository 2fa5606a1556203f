// Which device new runs use, and one Hangfire queue per device ("cpu", "cuda0", …) so two runs never share one.
using Microsoft.Extensions.Options;
using WebLab.Training.Runtime;

namespace WebLab.Web.Features.Experiments;

public sealed class LabDevices
{
    public LabDevices(IOptions<WebLabOptions> options, ILogger<LabDevices> logger)
    {
        var setting = options.Value.Device;
        ExternalLibTorch.Use(options.Value.LibTorchDirectory); // before any tensor work; a wrong folder stops start-up
        var cudaCount = 0;
        try
        {
            Default = TorchRuntime.ResolveDevice(setting);
            if (Default != "cpu") cudaCount = (int)TorchSharp.torch.cuda.device_count();
        }
        catch (Exception e) when (setting is null or "" or "auto")
        {
            // No loadable libtorch here: the lab still runs methods that don't need tensors.
            logger.LogWarning("device 'auto' resolved to cpu: {Message}", e.Message);
            Default = "cpu";
        }
        Queues = ["cpu", .. Enumerable.Range(0, cudaCount).Select(i => $"cuda{i}")];
    }

    /// <summary>"cpu" or "cuda:N", resolved from WebLab:Device.</summary>
    public string Default { get; }

    public IReadOnlyList<string> Queues { get; }

    /// <summary>Hangfire queue names allow lowercase letters, digits, '_' and '-': "cuda:1" → "cuda1".</summary>
    public static string QueueOf(string device) => device == "cuda" ? "cuda0" : device.Replace(":", "").ToLowerInvariant();

    /// <summary>cpu, cuda0, cuda1, …: a device's queue.</summary>
    public static bool IsQueue(string q) => q == "cpu" || (q.StartsWith("cuda", StringComparison.Ordinal) && q.Length is > 4 and < 7 && q[4..].All(char.IsAsciiDigit));

    /// <summary>The device a queue serves (QueueOf's inverse): "cuda1" → "cuda:1".</summary>
    public static string DeviceOf(string queue) => queue == "cpu" ? "cpu" : $"cuda:{queue[4..]}";
}
