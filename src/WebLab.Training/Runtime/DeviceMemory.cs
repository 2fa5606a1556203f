// How much memory a run's device has, for its memory plan: the machine's on the CPU (what the runtime may use, which
// honours a container's limit); on CUDA unknown to this build (TorchSharp 0.107 exposes no device properties), so a CUDA
// plan is shown but never refused.
namespace WebLab.Training.Runtime;

public static class DeviceMemory
{
    /// <summary>Bytes the device offers a run, or null when unknown.</summary>
    public static long? Bytes(string device) => device == "cpu" ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : null;
}
