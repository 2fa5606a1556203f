// Where a run came from, recorded when it starts (as W&B and MLflow record a run's code version and environment): the
// lab's version and git commit (stamped into the build), the device and threads, the machine's processors, the
// TorchSharp and .NET versions, and the start model's folder with the sha256 of its weights — so that a result can be
// traced to the exact code and model it came from, and two runs' differences are visible beside their options.
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using WebLab.Training.Methods.Common;
using WebLab.Training.Models.Checkpoints;

namespace WebLab.Training.Experiments;

/// <param name="GitDirty">The build had tracked files changed since <paramref name="GitCommit"/> (the code was not exactly the commit's).</param>
/// <param name="StartModel">The folder the run's weights start from (its parent's checkpoint, the chat model, or the domain's base).</param>
/// <param name="BaseModel">The domain's base model, which evaluations compare against, when it is not the start model.</param>
/// <param name="DeviceName">The card's name on CUDA (the driver's), the processor's on the CPU.</param>
/// <param name="DeviceMemoryBytes">The device's total memory (the machine's, as the runtime sees it, on the CPU).</param>
/// <param name="LibTorch">The LibTorch version TorchSharp runs on, and the folder when it is a user's (-p:TorchBackend=external).</param>
/// <param name="PeakMemoryBytes">Recorded when the run ends: its peak memory on the device, as <paramref name="PeakMemoryMeaning"/> says.</param>
public sealed record RunProvenance(
    string LabVersion, string GitCommit, string Device, int Threads, int ProcessorCount, string TorchSharp, string DotNet, string Os,
    string? StartModel, string? StartModelSha256, bool GitDirty = false, long? Seed = null, DateTimeOffset? StartedAt = null,
    string? BaseModel = null, string? BaseModelSha256 = null, string? DeviceName = null, long? DeviceMemoryBytes = null,
    string? LibTorch = null, long? PeakMemoryBytes = null, string? PeakMemoryMeaning = null)
{
    /// <summary>Collects the provenance of a run of <paramref name="options"/> on <paramref name="domain"/> (null: the method
    /// reads none) about to start on <paramref name="device"/>.</summary>
    public static RunProvenance Collect(object options, Domains.IDomain? domain, string device, string? parentCheckpoint)
    {
        var informational = typeof(RunProvenance).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
        var plus = informational.IndexOf('+');
        var (version, commit) = plus < 0 ? (informational, "unknown") : (informational[..plus], informational[(plus + 1)..]);
        bool dirty = commit.EndsWith("-dirty", StringComparison.Ordinal);
        if (dirty) commit = commit[..^"-dirty".Length];
        var start = parentCheckpoint ?? StartFolder(options, domain);
        var baseModel = options is RlOptions ? domain?.BaseModelFolder : null;
        if (baseModel is not null && start is not null && Path.GetFullPath(baseModel) == Path.GetFullPath(start)) baseModel = null;
        return new(version, commit, device, (options as TrainingOptions)?.Threads is > 0 and var t ? t : Environment.ProcessorCount,
            Environment.ProcessorCount, typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString() ?? "unknown",
            RuntimeInformation.FrameworkDescription, RuntimeInformation.OSDescription, start, start is null ? null : WeightsSha256(start),
            dirty, (options as TrainingOptions)?.Seed, DateTimeOffset.UtcNow, baseModel, baseModel is null ? null : WeightsSha256(baseModel),
            Runtime.DeviceMemory.Name(device), Runtime.DeviceMemory.Bytes(device), LibTorchVersion());
    }

    /// <summary>This provenance with the run's peak memory on its device.</summary>
    public RunProvenance WithPeak(long? bytes) => this with { PeakMemoryBytes = bytes, PeakMemoryMeaning = bytes is null ? null : Runtime.DeviceMemory.InUseMeaning(Device) };

    static string LibTorchVersion()
    {
        var external = Runtime.ExternalLibTorch.LoadedFrom;
        return global::TorchSharp.torch.__version__ + (external is null ? "" : $" ({external})");
    }

    /// <summary>The folder a run of these options starts from when it has no parent: none for SFT (it trains from
    /// scratch), else the domain's base model (the chat domain's: its model option).</summary>
    static string? StartFolder(object options, Domains.IDomain? domain) => options switch
    {
        Methods.Sft.SftOptions => null,
        TrainingOptions => domain?.BaseModelFolder,
        _ => null,
    };

    // hashes already taken, by each file's path, size and modification time: a resumed or repeated run of a 6 GB model
    // does not read it again (a changed file has another size or time, and is hashed anew)
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Hashes = new();

    /// <summary>sha256 of model.safetensors, or of the shards in name order as one stream; null when the folder has neither.</summary>
    public static string? WeightsSha256(string dir)
    {
        var single = Path.Combine(dir, HfCheckpoint.WeightsFile);
        var files = File.Exists(single) ? [single]
            : HfCheckpoint.WeightMap(dir)?.Values.Distinct().Order(StringComparer.Ordinal).Select(f => Path.Combine(dir, f)).ToArray();
        if (files is null || files.Length == 0 || !files.All(File.Exists)) return null;
        var key = string.Join("|", files.Select(f => new FileInfo(f)).Select(f => $"{f.FullName}:{f.Length}:{f.LastWriteTimeUtc.Ticks}"));
        return Hashes.GetOrAdd(key, _ => Hash(files));
    }

    static string Hash(string[] files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        foreach (var file in files)
        {
            using var stream = File.OpenRead(file);
            for (int n; (n = stream.Read(buffer)) > 0;) sha.AppendData(buffer, 0, n);
        }
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
