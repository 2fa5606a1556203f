// `weblab train` survives a kill: the run folder keeps its settings and state, and `train --resume DIR` finishes it with
// metrics.csv holding each step once.
using WebLab.Training.Experiments;
using System.Diagnostics;
using WebLab.Cli;
using WebLab.Training.Tests;
using WebLab.Cli.Verbs;
using WebLab.Training.Methods.Common;

namespace WebLab.Cli.Tests;

public sealed class TrainResumeTests : IDisposable
{
    readonly TempFolder temp = new("weblab-train-resume-");
    readonly string dir;

    public TrainResumeTests() => dir = temp.Combine("run");
    public void Dispose() => temp.Dispose();

    [Fact]
    public async Task A_killed_train_run_resumes_from_its_folder()
    {
        // the real CLI in a child process, killed once it reports its first saved state (step 100 of 800)
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "weblab.dll"), "train", "--method", "sft", "--preset", "tiny-cpu",
            "--set", "threads=1", "--out", dir]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using (var child = Process.Start(start)!)
        {
            var saved = new TaskCompletionSource();
            child.ErrorDataReceived += (_, e) => { if (e.Data?.StartsWith("checkpoint (latest)") == true) saved.TrySetResult(); };
            child.BeginErrorReadLine();
            await saved.Task.WaitAsync(TimeSpan.FromSeconds(120));
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
        }
        var state = new RunFolder(dir).SavedState;
        Assert.NotNull(state);
        Assert.False(File.Exists(Path.Combine(dir, "checkpoints", "final", "model.safetensors")));

        Assert.Equal(0, TrainVerb.Run(["--resume", dir]));

        var loss = File.ReadAllLines(Path.Combine(dir, "metrics.csv")).Select(l => l.Split(',')).Where(f => f[1] == "train/loss").Select(f => long.Parse(f[0])).ToList();
        Assert.Equal(Enumerable.Range(1, 800).Select(s => (long)s), loss);
        Assert.True(File.Exists(Path.Combine(dir, "checkpoints", "final", "model.safetensors")));
        Assert.Null(new RunFolder(dir).SavedState);                                  // finished: the state is gone
        Assert.Throws<CliException>(() => TrainVerb.Run(["--resume", dir]));    // nothing left to resume
        Assert.Throws<CliException>(() => TrainVerb.Run(["--resume", dir, "--set", "steps=5"]));
    }
}
