// The folder of one run, laid out once for every host (the lab's worker, the headless runner, `weblab train`):
//   checkpoints/latest/   the resumable state (model, optimizer.bin, state.json), rewritten in place; .tmp/.old mid-save
//   checkpoints/final/    the trained model, kept
//   run.json, options.json, metrics.csv   what `weblab train` keeps beside them (the lab keeps these in its database)
// Whether a run can resume is whether its folder holds a complete saved state.
using System.Text.Json;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Experiments;

public sealed record RunFolder(string Path)
{
    const string StateFile = "state.json";

    public string Checkpoints => System.IO.Path.Combine(Path, "checkpoints");
    /// <summary>The resumable state's folder.</summary>
    public string Latest => System.IO.Path.Combine(Checkpoints, CheckpointKinds.Latest);
    /// <summary>The trained model's folder.</summary>
    public string Final => System.IO.Path.Combine(Checkpoints, CheckpointKinds.Final);
    public string RunFile => System.IO.Path.Combine(Path, "run.json");
    public string OptionsFile => System.IO.Path.Combine(Path, "options.json");
    public string MetricsFile => System.IO.Path.Combine(Path, "metrics.csv");
    /// <summary>The file a saved state's step is written in, inside <paramref name="stateDirectory"/>.</summary>
    public static string StateFileIn(string stateDirectory) => System.IO.Path.Combine(stateDirectory, StateFile);

    /// <summary>The complete state saved here (the latest, or the previous one a crash mid-save left), or null when none.</summary>
    public SavedState? SavedState
    {
        get
        {
            foreach (var dir in new[] { Latest, Latest + ".old" })             // .old: a crash between the two renames of a save
            {
                var file = StateFileIn(dir);
                if (!File.Exists(file)) continue;
                try
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(file));
                    var draws = doc.RootElement.TryGetProperty("dataDraws", out var d) ? d.GetInt64() : (long?)null;
                    return new SavedState(dir, doc.RootElement.GetProperty("step").GetInt64(), draws);
                }
                catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException) { }
            }
            return null;
        }
    }

    /// <summary>Deletes the saved state (a finished run cannot be resumed; its final checkpoint is what it keeps).</summary>
    public void DiscardState()
    {
        foreach (var dir in new[] { Latest, Latest + ".tmp", Latest + ".old" })
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
