// The "WebLab" configuration section (appsettings.json, appsettings.{Environment}.json, WebLab__* env vars).
namespace WebLab.Web;

public sealed class WebLabOptions
{
    public const string Section = "WebLab";

    /// <summary>SQLite records, Hangfire's SQLite file and run folders. Relative paths are under the content root. Default "data".</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>"auto" (CUDA when available, else CPU), "cpu", "cuda" or "cuda:N". Default "auto".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>
    /// A libtorch folder to run TorchSharp on instead of the NuGet one, e.g. the <c>lib</c> folder of a PyTorch install with
    /// CUDA; needs a build with -p:TorchBackend=external. Empty: the WEBLAB_LIBTORCH_DIR variable, else the build's own. Default "".
    /// </summary>
    public string LibTorchDirectory { get; set; } = "";

    /// <summary>Diagnostic aid: registers the built-in "diagnostic-sleep" method (used by the crash test). Default false.</summary>
    public bool EnableDiagnosticMethods { get; set; }

    /// <summary>
    /// At start-up, queue again the runs the last shutdown stopped, from their saved state. Runs killed with the process are
    /// not resumed automatically (the run itself may be what killed it): they show Resume. Default true.
    /// </summary>
    public bool ResumeAfterShutdown { get; set; } = true;

    /// <summary>How often Hangfire polls its queues, in milliseconds. Default 1000.</summary>
    public int QueuePollIntervalMs { get; set; } = 1000;

    /// <summary>How long a write waits for SQLite's lock (another writer, a backup) before it fails, in seconds. Default 30.</summary>
    public int DatabaseTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Where runs execute: "Worker" (default: each run in a child process of the lab, `WebLab.Web worker ID`, so its native
    /// memory is returned when it ends and a crash fails the run, not the lab) or "InProcess" (on a Hangfire thread of the
    /// lab itself; the headless `weblab run` always runs in process, being a process of its own).
    /// </summary>
    public RunIsolation Isolation { get; set; } = RunIsolation.Worker;

    public string ResolveDataDirectory(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(contentRoot, DataDirectory));
}

public enum RunIsolation { Worker, InProcess }
