// Debian's Chromium for the browser tests: never a downloaded browser. When it is missing and the tests run as root
// (CI, a fresh Debian 12 box), it is installed with apt-get, so the README's test command needs no manual step.
using System.Diagnostics;

namespace WebLab.Web.Tests.Infrastructure;

public static class DebianChromium
{
    public const string Path = "/usr/bin/chromium";
    static readonly Lazy<string?> Installed = new(TryInstall);

    /// <summary>The executable path, or a test failure saying how to get it.</summary>
    public static string Ensure()
    {
        if (File.Exists(Path)) return Path;
        var problem = Installed.Value;
        Assert.True(File.Exists(Path), $"{Path} is missing and could not be installed ({problem}): run `apt-get install -y chromium`");
        return Path;
    }

    static string? TryInstall()
    {
        if (Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get")) return "not root or no apt-get";
        foreach (var args in new[] { "update -qq", "install -y -qq chromium" })
        {
            var psi = new ProcessStartInfo("/usr/bin/apt-get", args) { RedirectStandardOutput = true, RedirectStandardError = true };
            psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEndAsync();
            p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) return $"apt-get {args} exited {p.ExitCode}: {err.Result.Trim()}";
        }
        return null;
    }
}
