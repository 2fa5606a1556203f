// What a worker process says to the lab on its standard output, one line each, and what the lab says on its standard input.
//   worker → lab: "@update {json}" (a live update, as the notifier carries it), "@result {json}" (how the run ended);
//                 any other line is the worker's own log output.
//   lab → worker: "cancel" (a person stopped the run), "shutdown" (the lab is stopping); end of input means the same as
//                 shutdown (the lab is gone).
using System.Text.Json;
using System.Text.Json.Serialization;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Features.Experiments.Workers;

public sealed record WorkerResult(ExperimentStatus Status, string? Error);

public static class WorkerProtocol
{
    public const string UpdatePrefix = "@update ";
    public const string ResultPrefix = "@result ";
    public const string Cancel = "cancel";
    public const string Shutdown = "shutdown";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static string Update(ExperimentUpdate u) => UpdatePrefix + JsonSerializer.Serialize(u, Json);

    public static string Result(WorkerResult r) => ResultPrefix + JsonSerializer.Serialize(r, Json);

    /// <summary>Reads one line of a worker's output: an update, a result, or (neither) a log line.</summary>
    public static (ExperimentUpdate? Update, WorkerResult? Result) Parse(string line) =>
        line.StartsWith(UpdatePrefix, StringComparison.Ordinal) ? (JsonSerializer.Deserialize<ExperimentUpdate>(line[UpdatePrefix.Length..], Json), null)
        : line.StartsWith(ResultPrefix, StringComparison.Ordinal) ? (null, JsonSerializer.Deserialize<WorkerResult>(line[ResultPrefix.Length..], Json))
        : (null, null);

    /// <summary>Why a worker that never reported a result ended, from its exit code (128 + N is signal N on Linux).</summary>
    public static string ExitReason(int exitCode) => exitCode switch
    {
        137 => "was killed (SIGKILL: by a person, or by the kernel when memory ran out)",
        134 => "aborted (SIGABRT, a native failure)",
        139 => "crashed (SIGSEGV, a native failure)",
        143 => "was terminated (SIGTERM)",
        > 128 => $"was killed by signal {exitCode - 128}",
        _ => $"exited with code {exitCode} without reporting how the run ended",
    };
}
