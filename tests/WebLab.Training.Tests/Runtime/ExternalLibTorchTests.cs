// The checks ExternalLibTorch makes before it loads anything: each failure names the folder and the LibTorch version needed.
using WebLab.Training.Runtime;

namespace WebLab.Training.Tests.Runtime;

public sealed class ExternalLibTorchTests : IDisposable
{
    readonly TempFolder root = new("weblab-libtorch-");
    string Lib => Path.Combine(root.Path, "lib");

    public void Dispose() => root.Dispose();

    /// <summary>A fake PyTorch layout: torch/version.py beside torch/lib with empty stand-ins for the libraries.</summary>
    void FakeInstall(string version, params string[] libs)
    {
        Directory.CreateDirectory(Lib);
        File.WriteAllText(Path.Combine(root.Path, "version.py"), $"__version__ = '{version}'\ndebug = False\ncuda: Optional[str] = '13.0'\n");
        foreach (var lib in libs) File.WriteAllBytes(Path.Combine(Lib, lib), []);
    }

    [Fact]
    public void Nothing_set_means_nothing_loaded()
    {
        if (Environment.GetEnvironmentVariable(ExternalLibTorch.Variable) is { Length: > 0 }) return; // a GPU run's environment
        Assert.Null(ExternalLibTorch.Use(null));
        Assert.Null(ExternalLibTorch.Use("  "));
    }

    [Fact]
    public void A_missing_folder_is_named_with_the_version_needed()
    {
        var e = Assert.Throws<DirectoryNotFoundException>(() => ExternalLibTorch.Use(Path.Combine(root.Path, "nope")));
        Assert.Contains(Path.Combine(root.Path, "nope"), e.Message);
        Assert.Contains("LibTorch 2.10.0", e.Message);
    }

    [Fact]
    public void A_folder_without_libtorch_cpu_lists_what_is_missing()
    {
        FakeInstall("2.10.0+cu128", "libc10.so", "libtorch.so");
        var e = Assert.Throws<FileNotFoundException>(() => ExternalLibTorch.Use(Lib));
        Assert.EndsWith("libtorch_cpu.so not found there", e.Message);
    }

    [Fact]
    public void Another_minor_version_is_refused_before_anything_loads()
    {
        FakeInstall("2.11.0+cu130", "libc10.so", "libtorch_cpu.so", "libtorch.so");
        var e = Assert.Throws<InvalidOperationException>(() => ExternalLibTorch.Use(Lib));
        Assert.Contains($"{Lib} (TorchSharp 0.107 needs LibTorch 2.10.0", e.Message);
        Assert.Contains("it holds LibTorch 2.11.0+cu130", e.Message);
        Assert.Contains(ExternalLibTorch.AnyVersionVariable + "=1", e.Message);
    }

    [Fact]
    public void A_build_with_its_own_libtorch_refuses_a_second_one()
    {
        // The test output folder carries libtorch-cpu-linux-x64's libraries, as every default build does.
        FakeInstall("2.10.0+cu128", "libc10.so", "libtorch_cpu.so", "libtorch.so");
        var e = Assert.Throws<InvalidOperationException>(() => ExternalLibTorch.Use(Lib));
        Assert.Contains("-p:TorchBackend=external", e.Message);
    }

    [Fact]
    public void Version_is_read_from_version_py_or_build_version()
    {
        FakeInstall("2.11.0+cu130");
        Assert.Equal("2.11.0+cu130", ExternalLibTorch.VersionBeside(Lib));
        File.Delete(Path.Combine(root.Path, "version.py"));
        Assert.Null(ExternalLibTorch.VersionBeside(Lib));
        File.WriteAllText(Path.Combine(root.Path, "build-version"), "2.10.0+cpu\n");
        Assert.Equal("2.10.0+cpu", ExternalLibTorch.VersionBeside(Lib + "/"));
    }

    [Fact]
    public void Expected_version_is_the_one_TorchSharp_was_built_for() =>
        Assert.Equal(ExternalLibTorch.ExpectedVersion + ".0", TorchSharp.torch.__version__);
}
