// Runs the NumPy reference (tests/reference/hf_reference.py) for the parity tests: Debian's python3 with python3-numpy
// and python3-pil (the reference processor resizes with PIL), installed with apt-get when missing and the tests run as root (CI, a fresh Debian 12 box), as the browser tests do
// with chromium. A reference that cannot run fails the test with how to get it: a parity test never passes without it.
using System.Diagnostics;
using System.Text.Json;
using Xunit;

namespace WebLab.Tests.Shared;

public static class NumpyReference
{
    static readonly Lazy<string?> Ready = new(Prepare);

    /// <summary>The reference script's output for these arguments (it writes JSON to a file this method reads back).</summary>
    public static JsonDocument Run(string modelDir, IEnumerable<long> ids, string? rawImage = null, int height = 0, int width = 0)
    {
        var problem = Ready.Value;
        Assert.True(problem is null, $"the NumPy reference cannot run ({problem}): run `apt-get install -y python3-numpy python3-pil`");
        var output = Path.Combine(Path.GetTempPath(), $"weblab-reference-{Guid.NewGuid():N}.json");
        var args = new List<string> { Script(), "--model", modelDir, "--ids", string.Join(",", ids), "--out", output };
        if (rawImage is not null) args.AddRange(["--image", rawImage, "--height", height.ToString(), "--width", width.ToString()]);
        var (code, err) = Exec("/usr/bin/python3", args);
        Assert.True(code == 0, $"hf_reference.py exited {code}: {err}");
        try { return JsonDocument.Parse(File.ReadAllText(output)); }
        finally { File.Delete(output); }
    }

    /// <summary>tests/reference/hf_reference.py, found by walking up to WebLab.sln.</summary>
    public static string Script()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "WebLab.sln"))) return Path.Combine(dir.FullName, "tests", "reference", "hf_reference.py");
        throw new InvalidOperationException("WebLab.sln not found above the test binaries");
    }

    /// <summary>A JSON array of numbers (nested any depth) flattened.</summary>
    public static double[] Flat(JsonElement e) => e.ValueKind == JsonValueKind.Array ? e.EnumerateArray().SelectMany(Flat).ToArray() : [e.GetDouble()];

    static string? Prepare()
    {
        if (!File.Exists("/usr/bin/python3")) return "no /usr/bin/python3";
        if (Exec("/usr/bin/python3", ["-c", "import numpy, PIL"]).Code == 0) return null;
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get")) return "numpy or PIL is missing, and the tests are not root to install them";
        foreach (var step in new[] { new[] { "update", "-qq" }, ["install", "-y", "-qq", "python3-numpy", "python3-pil"] })
        {
            var (code, err) = Exec("/usr/bin/apt-get", step, debianNonInteractive: true);
            if (code != 0) return $"apt-get {string.Join(" ", step)} exited {code}: {err}";
        }
        return Exec("/usr/bin/python3", ["-c", "import numpy, PIL"]).Code == 0 ? null : "numpy or PIL still missing after apt-get";
    }

    static (int Code, string Err) Exec(string file, IEnumerable<string> args, bool debianNonInteractive = false)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (debianNonInteractive) psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, err.Result.Trim());
    }
}
