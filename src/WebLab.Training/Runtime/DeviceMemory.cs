// What a run's device is and how much memory it has, for the memory plan and the run's provenance. On the CPU: the
// processor's name (/proc/cpuinfo), the memory the runtime may use (which honours a container's limit), and this process's
// resident high-water mark (VmHWM) as the peak. On CUDA, where TorchSharp 0.107 exposes no device properties: the driver
// API (libcuda.so.1: cuDeviceGetName, cuDeviceTotalMem) for the name and total memory, and NVML (libnvidia-ml.so.1) for
// the memory in use on the device, which a run samples for its peak. Each answer is null where the library is missing.
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace WebLab.Training.Runtime;

public static class DeviceMemory
{
    /// <summary>Bytes the device offers a run, or null when unknown.</summary>
    public static long? Bytes(string device) =>
        device == "cpu" ? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes : Cuda.Ordinal(device) is { } i ? Cuda.TotalMemory(i) : null;

    /// <summary>The device's name ("NVIDIA H100 80GB HBM3", the processor's model), or null when unknown.</summary>
    public static string? Name(string device) =>
        device == "cpu" ? CpuName() : Cuda.Ordinal(device) is { } i ? Cuda.Name(i) : null;

    /// <summary>Memory in use now: on the CPU this process's peak resident set (VmHWM); on CUDA the device's memory in use
    /// (NVML; every process on the card, libtorch's cache included). Null when unknown.</summary>
    public static long? InUse(string device) =>
        device == "cpu" ? ProcStatus("VmHWM") : Cuda.Ordinal(device) is { } i ? Cuda.Used(i) : null;

    /// <summary>What <see cref="InUse"/> measures on <paramref name="device"/>, in words for a run's record.</summary>
    public static string InUseMeaning(string device) => device == "cpu"
        ? "the run's process's peak resident memory (VmHWM)"
        : "the device's memory in use at its highest sample (NVML, every 0.2 s; the whole card, libtorch's cache included)";

    static string? CpuName()
    {
        try { return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim(); }
        catch (IOException) { return null; }
    }

    /// <summary>A byte count of /proc/self/status ("VmRSS", "VmHWM"), or null where there is none.</summary>
    public static long? ProcStatus(string key)
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(key + ":", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException) { return null; }
    }

    /// <summary>The CUDA driver and NVML, called directly (both are C libraries of the NVIDIA driver).</summary>
    static class Cuda
    {
        public static int? Ordinal(string device) =>
            device == "cuda" ? 0 : device.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(device[5..], out var i) ? i : null;

        public static long? TotalMemory(int ordinal) => Try(() =>
            cuInit(0) == 0 && cuDeviceGet(out var d, ordinal) == 0 && cuDeviceTotalMem_v2(out var bytes, d) == 0 ? (long?)(long)bytes : null);

        public static string? Name(int ordinal) => Try(() =>
        {
            var buffer = new byte[256];
            return cuInit(0) == 0 && cuDeviceGet(out var d, ordinal) == 0 && cuDeviceGetName(buffer, buffer.Length, d) == 0
                ? Encoding.ASCII.GetString(buffer, 0, Array.IndexOf(buffer, (byte)0) is var n and >= 0 ? n : buffer.Length) : null;
        });

        public static long? Used(int ordinal) => Try(() =>
            nvmlInit_v2() == 0 && nvmlDeviceGetHandleByIndex_v2((uint)ordinal, out var h) == 0 && nvmlDeviceGetMemoryInfo(h, out var m) == 0 ? (long?)(long)m.Used : null);

        static T? Try<T>(Func<T?> f)
        {
            try { return f(); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException) { return default; }
        }

        [StructLayout(LayoutKind.Sequential)] struct NvmlMemory { public ulong Total, Free, Used; }

        [DllImport("libcuda.so.1")] static extern int cuInit(uint flags);
        [DllImport("libcuda.so.1")] static extern int cuDeviceGet(out int device, int ordinal);
        [DllImport("libcuda.so.1")] static extern int cuDeviceGetName(byte[] name, int length, int device);
        [DllImport("libcuda.so.1")] static extern int cuDeviceTotalMem_v2(out nuint bytes, int device);
        [DllImport("libnvidia-ml.so.1")] static extern int nvmlInit_v2();
        [DllImport("libnvidia-ml.so.1")] static extern int nvmlDeviceGetHandleByIndex_v2(uint index, out IntPtr device);
        [DllImport("libnvidia-ml.so.1")] static extern int nvmlDeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);
    }
}

/// <summary>A run's peak memory on its device: on the CPU the process's VmHWM when asked; on CUDA the highest of samples
/// taken every 0.2 s while it lives (NVML has no peak of its own).</summary>
public sealed class PeakMemory : IDisposable
{
    readonly string device;
    readonly Timer? timer;
    long peak;

    public PeakMemory(string device)
    {
        this.device = device;
        if (device != "cpu") timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(200));
    }

    void Sample()
    {
        if (DeviceMemory.InUse(device) is { } bytes) InterlockedMax(ref peak, bytes);
    }

    /// <summary>The peak so far, or null when the device's memory cannot be read.</summary>
    public long? Bytes
    {
        get
        {
            Sample();
            var p = Interlocked.Read(ref peak);
            return p > 0 ? p : null;
        }
    }

    static void InterlockedMax(ref long target, long value)
    {
        for (long seen = Interlocked.Read(ref target); value > seen; seen = Interlocked.Read(ref target))
            if (Interlocked.CompareExchange(ref target, value, seen) == seen) return;
    }

    public void Dispose() => timer?.Dispose();
}
