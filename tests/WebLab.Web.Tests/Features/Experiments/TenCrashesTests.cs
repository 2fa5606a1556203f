// Ten crashes in a row: a real tiny-cpu GRPO run in the real lab (a child process, each run in its own worker) is
// killed with SIGKILL at ten random steps; each time the lab is started again and the run resumed from its last saved
// state. It must end exactly as the same run left alone: every deterministic metric equal, no (step, name) twice, and
// every sample and verdict once — none lost, none doubled.
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class TenCrashesTests : IDisposable
{
    readonly TempFolder dataDirectory = new("weblab-ten-crashes-");
    public void Dispose() => dataDirectory.Dispose();

    const int Steps = 80;

    /// <summary>tiny-cpu GRPO made small: 2 prompts × 2 answers, its state saved every 4 steps, evaluated (with verdicts) at 40 and 80;
    /// one sampling round, to keep its time (resuming under dynamic sampling is TrainingStateTests').</summary>
    static JsonObject Options() => new()
    {
        ["steps"] = Steps, ["prompts"] = 2, ["answers"] = 2, ["evalEvery"] = 40, ["evalPerSplit"] = 2, ["checkpointEvery"] = 4,
        ["sampleEvery"] = 1, ["threads"] = 1, ["seed"] = 11, ["samplingRounds"] = 1,
    };

    // wall-clock measurements differ between two runs of the same seed; everything else must not
    static bool Deterministic(string metric) => !metric.Contains("per_s", StringComparison.Ordinal) && !metric.Contains("seconds", StringComparison.Ordinal);

    [Fact]
    public async Task A_run_killed_ten_times_ends_as_the_uninterrupted_run()
    {
        var rng = new Random(20261130);
        // ten kill points: the first after the first saved state (before it there is nothing to resume), each later one
        // a random 1–6 steps past the step the run resumed from (as the API sees it: the run itself is a little ahead)
        long resumedAfter = 4;
        long reference, crashed;
        var log = new List<string>();

        var lab = new ChildLab(dataDirectory.Path);
        try
        {
            await lab.WaitUntilReadyAsync();
            reference = await lab.Http.LaunchAsync(Options(), method: "grpo", name: "left alone");
            await lab.Http.WaitForStatusAsync(reference, "Succeeded", seconds: 300);
            crashed = await lab.Http.LaunchAsync(Options(), method: "grpo", name: "crashed ten times");

            for (int kill = 0; kill < 10; kill++)
            {
                var at = resumedAfter + rng.Next(1, 7);
                var e = await lab.Http.WaitForAsync(crashed, x => x.Status() == "Running" && (long)x["step"]! >= at || x.Status() is "Succeeded" or "Failed", seconds: 300);
                Assert.Equal("Running", e.Status());
                lab.KillHard();
                lab.Dispose();
                log.Add($"killed at step {(long)e["step"]!} (aimed at {at})");

                lab = new ChildLab(dataDirectory.Path);
                await lab.WaitUntilReadyAsync();
                var failed = await lab.Http.ExperimentAsync(crashed);
                Assert.Equal("Failed", failed.Status());
                Assert.Matches("Resume continues it from its state after step [1-9][0-9]*$", (string?)failed["error"]);
                resumedAfter = await ResumeTests.ResumeAsync(lab.Http, crashed);
                log.Add($"resumed after step {resumedAfter}");
            }
            await lab.Http.WaitForStatusAsync(crashed, "Succeeded", seconds: 300);

            // metrics: the same (step, name, value) set, each (step, name) once
            async Task<List<(long Step, string Name, double Value)>> Metrics(long id) =>
                [.. (await lab.Http.ListAsync($"/api/experiments/{id}/metrics")).Select(m => ((long)m!["step"]!, (string)m["name"]!, (double)m["value"]!))
                    .Where(m => Deterministic(m.Item2)).OrderBy(m => m.Item2, StringComparer.Ordinal).ThenBy(m => m.Item1)];
            var (want, got) = (await Metrics(reference), await Metrics(crashed));
            var doubled = got.GroupBy(m => (m.Step, m.Name)).Where(g => g.Count() > 1).Select(g => $"{g.Key.Name}@{g.Key.Step}×{g.Count()}").ToList();
            Assert.True(doubled.Count == 0, $"{doubled.Count} (step, name) logged twice: {string.Join(", ", doubled.Take(20))}");
            var missing = want.Select(m => (m.Step, m.Name)).Except(got.Select(m => (m.Step, m.Name))).Take(20).ToList();
            Assert.True(missing.Count == 0, $"{want.Count} points left alone, {got.Count} after crashes; missing: {string.Join(", ", missing)}");
            Assert.Equal(want.Count, got.Count);
            Assert.Equal(want, got);
            Assert.Equal(Enumerable.Range(1, Steps).Select(s => (long)s), got.Where(m => m.Name == "solver/reward_mean").Select(m => m.Step));

            // samples and verdicts: the same multiset, none lost or doubled
            async Task<List<string>> Samples(long id) => [.. (await lab.Http.ListAsync($"/api/experiments/{id}/samples"))
                .Select(s => $"{(long)s!["step"]!}|{(string)s["role"]!}|{(string)s["prompt"]!}|{(string)s["completion"]!}|{(double?)s["reward"]}").Order(StringComparer.Ordinal)];
            async Task<List<string>> Verdicts(long id) => [.. (await lab.Http.ListAsync($"/api/experiments/{id}/verdicts"))
                .Select(v => $"{(long)v!["step"]!}|{(string)v["split"]!}|{(string)v["prompt"]!}|{(string)v["trainedAnswer"]!}|{(string)v["verdict"]!}").Order(StringComparer.Ordinal)];
            var (wantSamples, gotSamples) = (await Samples(reference), await Samples(crashed));
            Assert.NotEmpty(wantSamples);
            Assert.Equal(wantSamples, gotSamples);
            var (wantVerdicts, gotVerdicts) = (await Verdicts(reference), await Verdicts(crashed));
            Assert.NotEmpty(wantVerdicts);
            Assert.Equal(wantVerdicts, gotVerdicts);
            Assert.Equal(10, log.Count(l => l.StartsWith("killed", StringComparison.Ordinal)));
            Directory.CreateDirectory(BrowserTest.ResultsDirectory);
            await File.WriteAllLinesAsync(Path.Combine(BrowserTest.ResultsDirectory, "ten-crashes.txt"), log);
        }
        catch (Exception e)
        {
            throw new Exception(string.Join("\n", log) + "\n--- lab output ---\n" + lab.Output[^Math.Min(4000, lab.Output.Length)..], e);
        }
        finally { lab.Dispose(); }
    }
}
