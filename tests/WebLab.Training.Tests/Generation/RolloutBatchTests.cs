// A rollout batch: generation in batches of at most k rows. Greedy decoding gives the rows one batch of all gives; sampled,
// each batch draws from its own seed, so the rows repeat run after run; 0 is one batch; the plan's cache holds k rows.
using System.Text.Json.Nodes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Generation;

public class RolloutBatchTests
{
    static readonly TinyTasksTokenizer Tok = TinyTasksTokenizer.Instance;
    static IReadOnlyList<Prompt> Prompts() =>
        [.. new[] { "rev abc", "add 12 7", "cnt aab a", "rev xy", "srt cab" }.Select(i => Prompt.Text(Tok.SolverPrompt(i)))];

    [Fact]
    public void Greedy_rows_are_the_same_in_batches_and_sampled_rows_repeat()
    {
        using var model = new TinyTasksDomain().LoadBaseModel("cpu");
        var greedy = new GenerationOptions { MaxNewTokens = 8, Temperature = 0, Seed = 5, StopTokens = [Tok.EosId] };
        var all = BatchGenerator.Generate(model, Prompts(), greedy, Tok.PadId);
        Assert.Equal(all.Completions, BatchGenerator.GenerateInBatches(model, Prompts(), greedy, Tok.PadId, batch: 2).Completions);
        Assert.Equal(all.Completions, BatchGenerator.GenerateInBatches(model, Prompts(), greedy, Tok.PadId, batch: 0).Completions);

        var sampled = greedy with { Temperature = 1.5 };
        var a = BatchGenerator.GenerateInBatches(model, Prompts(), sampled, Tok.PadId, batch: 2);
        Assert.Equal(a.Completions, BatchGenerator.GenerateInBatches(model, Prompts(), sampled, Tok.PadId, batch: 2).Completions);
        Assert.Equal(5, a.Completions.Length);
        Assert.Equal(5, a.Stopped.Length);
    }

    [Theory]
    [InlineData("grpo")]
    [InlineData("lsp")]
    [InlineData("vision-sr1")]
    public void A_run_generates_its_rollouts_in_batches(string name)
    {
        var method = MethodCatalog.Default.Get(name);
        var options = MethodOptions.Build(method, "tiny-cpu", new JsonObject
        {
            ["steps"] = 1, ["answers"] = 3, ["evalEvery"] = 1000, ["evalPerSplit"] = 1, ["threads"] = 1, ["checkpointEvery"] = 0, ["rolloutBatch"] = 2,
        });
        using var root = new TempFolder("rollout-batch");
        var log = new RecordingRunLog();
        method.Run(new ExperimentContext(1, options, root.Path, "cpu", null, log, Domain: DomainCatalog.Default.Resolve(method, options)), CancellationToken.None);
        Assert.Contains(log.MetricPoints, p => p.Step == 1 && (p.Name.StartsWith("reward", StringComparison.Ordinal) || p.Name.Contains("reward_mean")));
    }

    [Fact]
    public void The_plans_cache_holds_one_rollout_batch()
    {
        var method = MethodCatalog.Default.Get("grpo");
        MemoryPlanOf(0, out var all);
        MemoryPlanOf(16, out var batched);
        Assert.Equal(all.Cache * 16 / (16 * 8), batched.Cache);                // tiny-cpu: 16 prompts × 8 answers, 16 at a time

        void MemoryPlanOf(int rolloutBatch, out WebLab.Training.Models.MemoryPlan plan)
        {
            var spec = RunSpec.Build(method, "tiny-cpu", new JsonObject { ["rolloutBatch"] = rolloutBatch }, DomainCatalog.Default);
            plan = RunPlans.Of(spec, spec.ConfiguredDomain(DomainCatalog.Default)!, "cpu")!;
        }
    }
}
