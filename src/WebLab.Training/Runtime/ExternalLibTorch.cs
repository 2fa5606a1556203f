// Runs TorchSharp on a libtorch already on the machine (the `lib` folder of a PyTorch install, e.g. one with CUDA) instead
// of the NuGet one: its libraries are loaded by full path before TorchSharp's first native call, and libLibTorchSharp.so,
// loaded afterwards, binds to them by soname. The app must not carry its own libtorch (publish with -p:TorchBackend=external).
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace WebLab.Training.Runtime;

public static partial class ExternalLibTorch
{
    /// <summary>Environment variable naming the folder when no setting is given (the CLI, bench/gpu-smoke.sh).</summary>
    public const string Variable = "WEBLAB_LIBTORCH_DIR";

    /// <summary>Set to 1 to load a folder whose LibTorch version differs from <see cref="ExpectedVersion"/> (an experiment, not a supported setup).</summary>
    public const string AnyVersionVariable = "WEBLAB_LIBTORCH_ANY_VERSION";

    /// <summary>The LibTorch that TorchSharp 0.107's libLibTorchSharp.so is built against (torch.__version__ "2.10.0.0";
    /// a test keeps the two equal). Kept as a literal: touching TorchSharp's torch class here could start its native load.</summary>
    public const string ExpectedVersion = "2.10.0";

    // Dependency order; libtorch.so last (it only pulls the others in). The CUDA pair is optional (a CPU-only folder).
    static readonly string[] Required = ["libc10.so", "libtorch_cpu.so", "libtorch.so"];
    static readonly string[] LoadOrder = ["libc10.so", "libtorch_cpu.so", "libc10_cuda.so", "libtorch_cuda.so", "libtorch.so"];

    static string? loadedFrom;

    /// <summary>The folder a user's libtorch was loaded from, or null for the one the build ships.</summary>
    public static string? LoadedFrom => loadedFrom;

    /// <summary>What was loaded: the folder, its version when one was found beside it, and the files in load order.</summary>
    public sealed record Loaded(string Directory, string? Version, IReadOnlyList<string> Files);

    /// <summary>
    /// Loads the libtorch in <paramref name="directory"/> (else <see cref="Variable"/>; neither set: nothing to do, returns
    /// null). Call before any tensor work. Idempotent for the same folder. Throws with the folder and the expected LibTorch
    /// version when the folder is missing or incomplete, its version differs, or another libtorch is already in the process.
    /// </summary>
    public static Loaded? Use(string? directory)
    {
        var setting = string.IsNullOrWhiteSpace(directory) ? Environment.GetEnvironmentVariable(Variable) : directory;
        if (string.IsNullOrWhiteSpace(setting)) return null;
        var dir = Path.GetFullPath(setting.Trim());
        var what = $"LibTorch folder {dir} (TorchSharp 0.107 needs LibTorch {ExpectedVersion}, e.g. the lib folder of PyTorch {ExpectedVersion})";

        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"{what}: no such folder");
        var missing = Required.Where(f => !File.Exists(Path.Combine(dir, f))).ToList();
        if (missing.Count > 0) throw new FileNotFoundException($"{what}: {string.Join(", ", missing)} not found there");
        var version = VersionBeside(dir);
        if (version is not null && MajorMinor(version) != MajorMinor(ExpectedVersion) && Environment.GetEnvironmentVariable(AnyVersionVariable) != "1")
            throw new InvalidOperationException($"{what}: it holds LibTorch {version}; libLibTorchSharp.so is built for {ExpectedVersion} and another "
                + $"minor version's C++ ABI differs (set {AnyVersionVariable}=1 to try it anyway)");

        lock (Required)
        {
            if (loadedFrom is not null)
                return loadedFrom == dir ? new(dir, version, []) : throw new InvalidOperationException($"{what}: libtorch was already loaded from {loadedFrom}");
            if (OwnLibTorch() is { } own)
                throw new InvalidOperationException($"{what}: this build carries its own libtorch ({own}); TorchSharp would load both. "
                    + "Build or publish with -p:TorchBackend=external");
            if (MappedLibTorch() is { } other && Path.GetDirectoryName(other) != dir)
                throw new InvalidOperationException($"{what}: TorchSharp already loaded {other}; set the folder before any tensor work");

            var files = LoadOrder.Select(f => Path.Combine(dir, f)).Where(File.Exists).ToList();
            foreach (var file in files)
            {
                try { NativeLibrary.Load(file); }
                catch (DllNotFoundException e) { throw new InvalidOperationException($"{what}: loading {Path.GetFileName(file)} failed: {e.Message}", e); }
            }
            loadedFrom = dir;
            return new(dir, version, files);
        }
    }

    /// <summary>The version written beside a lib folder: a PyTorch package's ../version.py or a LibTorch zip's ../build-version.</summary>
    public static string? VersionBeside(string libDir)
    {
        var parent = Path.GetDirectoryName(Path.GetFullPath(libDir).TrimEnd('/'))!;
        var versionPy = Path.Combine(parent, "version.py");
        if (File.Exists(versionPy) && VersionPy().Match(File.ReadAllText(versionPy)) is { Success: true } m) return m.Groups[1].Value;
        var buildVersion = Path.Combine(parent, "build-version");
        return File.Exists(buildVersion) ? File.ReadLines(buildVersion).FirstOrDefault()?.Trim() : null;
    }

    /// <summary>A libtorch_cpu.so where TorchSharp looks first (beside TorchSharp.dll, or a folder of the app's deps.json), or null.</summary>
    static string? OwnLibTorch()
    {
        var dirs = ((AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string) ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Prepend(Path.GetDirectoryName(typeof(TorchSharp.torch).Assembly.Location)!);
        return dirs.Select(d => Path.Combine(d, "libtorch_cpu.so")).FirstOrDefault(File.Exists);
    }

    /// <summary>The libtorch_cpu.so this process has mapped (Linux /proc/self/maps), or null.</summary>
    public static string? MappedLibTorch() => File.Exists("/proc/self/maps")
        ? File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault())
            .FirstOrDefault(p => p is not null && p.EndsWith("/libtorch_cpu.so", StringComparison.Ordinal))
        : null;

    static string MajorMinor(string version) => string.Join('.', version.Split('.', '+').Take(2));

    [GeneratedRegex(@"__version__\s*=\s*['""]([^'""]+)['""]")]
    private static partial Regex VersionPy();
}
