// The "WebLab" configuration section (appsettings.json, appsettings.{Environment}.json, WebLab__* env vars).
namespace WebLab.Web;

public sealed class WebLabOptions
{
    public const string Section = "WebLab";

    /// <summary>SQLite records, Hangfire's SQLite file and run folders. Relative paths are under the content root. Default "data".</summary>
    public string DataDirectory { get; set; } = "data";

    /// <summary>Where the records and Hangfire's queue live: Sqlite (the default: files in the data directory, the two-command
    /// start) or Postgres (a PostgreSQL server at <see cref="PostgresConnectionString"/>, for a lab of several hosts).</summary>
    public LabDatabase Database { get; set; } = LabDatabase.Sqlite;

    /// <summary>Npgsql's connection string when <see cref="Database"/> is Postgres, e.g. "Host=db;Database=weblab;Username=weblab;Password=…"
    /// (put the password in user secrets or WebLab__PostgresConnectionString, never in appsettings.json).</summary>
    public string PostgresConnectionString { get; set; } = "";

    /// <summary>A Redis server for a lab of several hosts (WebLab:Redis, StackExchange.Redis's configuration, e.g.
    /// "127.0.0.1:6379"): live updates cross hosts through it (the SignalR hub's Redis backplane, and a channel that feeds
    /// each web host's pages), and so does Cancel. Empty (the default): updates stay in the process that raised them.</summary>
    public string Redis { get; set; } = "";

    /// <summary>Where run folders (saved states, checkpoints, exports' sources) live (WebLab:Artifacts:Root): empty for
    /// "runs" under the data directory; a shared folder (an NFS mount) when several hosts must read one another's runs.</summary>
    public ArtifactsOptions Artifacts { get; set; } = new();

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

    /// <summary>
    /// The folders a run's path options (a model folder, an evaluation file: options marked [FilePath]) may point into,
    /// after symbolic links are followed; relative entries are under the content root. Default: "models" and the data directory.
    /// </summary>
    public string[] PathRoots { get; set; } = ["models"];

    /// <summary>
    /// The memory a run's plan is checked against, in GiB (WebLab:DeviceMemoryGiB): unset, the machine's on the CPU and the
    /// card's total from the CUDA driver on CUDA (unknown, so never refused, where the driver library cannot be loaded).
    /// Set it to keep headroom for other work, or to state a card's memory.
    /// </summary>
    public double? DeviceMemoryGiB { get; set; }

    /// <summary>Launches (runs and sweeps) one client address may make over the API per minute; then 429. Default 60.</summary>
    public int LaunchesPerMinute { get; set; } = 60;

    /// <summary>How many runs go at once (WebLab:Workers): on the CPU (Cpu, default 1), and one a CUDA device.</summary>
    public WorkersOptions Workers { get; set; } = new();

    /// <summary>How often Hangfire polls its queues, and the lab's queue looks for a free device, in milliseconds. Default 1000.</summary>
    public int QueuePollIntervalMs { get; set; } = 1000;

    /// <summary>How long a write waits for SQLite's lock (another writer, a backup) before it fails, in seconds. Default 30.</summary>
    public int DatabaseTimeoutSeconds { get; set; } = 30;

    /// <summary>
    /// Where runs execute: "Worker" (default: each run in a child process of the lab, `WebLab.Web worker ID`, so its native
    /// memory is returned when it ends and a crash fails the run, not the lab) or "InProcess" (on a Hangfire thread of the
    /// lab itself; the headless `weblab run` always runs in process, being a process of its own).
    /// </summary>
    public RunIsolation Isolation { get; set; } = RunIsolation.Worker;

    /// <summary>Sign-in (WebLab:Auth): Mode Required (default) or None, and the first admin.</summary>
    public AuthOptions Auth { get; set; } = new();

    /// <summary>The LLM judge of runs whose judge option is Llm (WebLab:Judge; the key from user secrets or the environment).</summary>
    public JudgeOptions Judge { get; set; } = new();

    public string ResolveDataDirectory(string contentRoot) =>
        Path.GetFullPath(Path.IsPathRooted(DataDirectory) ? DataDirectory : Path.Combine(contentRoot, DataDirectory));
}

public enum RunIsolation { Worker, InProcess }

public sealed class WorkersOptions
{
    /// <summary>CPU runs at once (each its own process); more than one shares the cores. Default 1.</summary>
    public int Cpu { get; set; } = 1;

    /// <summary>Whether this web host runs runs itself (default true). False: only workers on their own (`weblab worker`,
    /// on PostgreSQL) take them, each run handed to a queue one of them serves; a run found Running at start-up is theirs.</summary>
    public bool Local { get; set; } = true;

    /// <summary>Without local workers: a run whose worker host has sent no heartbeat for this long is Failed (resumable from
    /// its saved state on any worker of its device); worker hosts beat every sixth of it. Default 30 s.</summary>
    public int LostAfterSeconds { get; set; } = 30;

    /// <summary>A worker host's: the web host it says hello to (e.g. http://lab:5080), with <see cref="Token"/>.</summary>
    public string Lab { get; set; } = "";

    /// <summary>A worker host's worker token (wlw_…, made by an Admin on the Workers page); give it through the environment
    /// (WebLab__Workers__Token), never on a command line others can read.</summary>
    public string Token { get; set; } = "";

    /// <summary>A web host's, without local workers: hand runs only to the queues of worker hosts that said hello with a
    /// token not revoked within LostAfterSeconds (default true). False: any server on the shared queue.</summary>
    public bool RequireToken { get; set; } = true;
}

public enum AuthMode
{
    /// <summary>Every page, API route, the hub, exports, /hangfire and /openapi need a signed-in user with the right role.</summary>
    Required,
    /// <summary>Anonymous single-user use: everyone is one Admin. Refused at start unless the lab listens on loopback alone.</summary>
    None,
}

public sealed class AuthOptions
{
    public AuthMode Mode { get; set; } = AuthMode.Required;

    /// <summary>
    /// The first admin, created at start when no account exists (WebLab:Auth:FirstAdmin:UserName and Password; give the
    /// password through the environment or user secrets, never a file in the repository). Empty: the lab prints a one-time
    /// set-up link instead, or run `weblab admin create`.
    /// </summary>
    public FirstAdminOptions FirstAdmin { get; set; } = new();

    /// <summary>Sign-in attempts one client address may make per minute; then 429. Default 10. (Identity also locks an
    /// account for 5 minutes after 5 wrong passwords.)</summary>
    public int SignInsPerMinute { get; set; } = 10;
}

public sealed class FirstAdminOptions
{
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";
}

/// <summary>
/// An OpenAI-compatible chat-completions endpoint for pairwise judging (WebLab:Judge:BaseUrl, Model, ApiKey, …). The key
/// is read from configuration (user secrets, WebLab__Judge__ApiKey in the environment) and never stored with a run.
/// </summary>
public sealed class JudgeOptions
{
    /// <summary>API root, e.g. http://127.0.0.1:8000/v1. Empty: no LLM judge (runs asking for one fail at start, saying so).</summary>
    public string BaseUrl { get; set; } = "";
    public string Model { get; set; } = "";
    public string ApiKey { get; set; } = "";
    public int MaxConcurrency { get; set; } = 4;
    public int MaxAttempts { get; set; } = 4;
    public double InitialBackoffSeconds { get; set; } = 1;
    public double RequestTimeoutSeconds { get; set; } = 120;

    /// <summary>The settings runs get, or null when no endpoint is configured.</summary>
    public WebLab.Training.Judges.LlmJudgeSettings? ToSettings() => string.IsNullOrWhiteSpace(BaseUrl) ? null : new()
    {
        BaseUrl = BaseUrl, Model = Model, ApiKey = ApiKey, MaxConcurrency = MaxConcurrency, MaxAttempts = MaxAttempts,
        InitialBackoff = TimeSpan.FromSeconds(InitialBackoffSeconds), RequestTimeout = TimeSpan.FromSeconds(RequestTimeoutSeconds),
    };

    /// <summary>The same settings as environment variables for a worker process (the key never on a command line).</summary>
    public IEnumerable<KeyValuePair<string, string>> AsEnvironment() =>
    [
        new("WebLab__Judge__BaseUrl", BaseUrl), new("WebLab__Judge__Model", Model), new("WebLab__Judge__ApiKey", ApiKey),
        new("WebLab__Judge__MaxConcurrency", MaxConcurrency.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("WebLab__Judge__MaxAttempts", MaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("WebLab__Judge__InitialBackoffSeconds", InitialBackoffSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
        new("WebLab__Judge__RequestTimeoutSeconds", RequestTimeoutSeconds.ToString("R", System.Globalization.CultureInfo.InvariantCulture)),
    ];
}

/// <summary>The records' and the queue's database engine.</summary>
public enum LabDatabase { Sqlite, Postgres }

/// <summary>WebLab:Artifacts: the root of the run folders.</summary>
public sealed class ArtifactsOptions
{
    /// <summary>Empty: &lt;DataDirectory&gt;/runs. Relative paths are under the content root.</summary>
    public string Root { get; set; } = "";
}
