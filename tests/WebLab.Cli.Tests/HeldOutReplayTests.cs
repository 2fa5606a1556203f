// weblab eval --replay and --overlap: the held-out count of a run's logged queries, worked by hand on made-up export
// lines, and the overlap table printed for seeds of a testbed.
using WebLab.Cli;
using WebLab.Cli.Verbs;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;

namespace WebLab.Cli.Tests;

[Collection(ConsoleCapture.Name)]
public sealed class HeldOutReplayTests
{
    [Fact]
    public void Replay_counts_held_out_queries_evaluation_items_and_held_out_groups_that_trained_the_Solver()
    {
        var item = TinyTasksTestbed.Frontier.Evaluation(5, 11000001).First().Items[0].Instruction;   // a held-out item at seed 11000001
        string Line(long step, string role, string prompt, string completion, string extra) =>
            $$"""{"step": {{step}}, "role": "{{role}}", "prompt": "{{prompt}}", "completion": "{{completion}}", "extra": {{extra}}}""";
        string[] lines =
        [
            // step 1, before the guard: the held-out query's answers were trained on (no mark)
            Line(1, "challenger", "rev", item, """{"query": 0}"""),
            Line(1, "solver", item, "x", """{"query": 0, "answer": 0, "advantage": 0.5}"""),
            Line(1, "solver", item, "y", """{"query": 0, "answer": 1, "advantage": -0.5}"""),
            Line(1, "challenger", "rev", "rev ab", """{"query": 1}"""),
            Line(1, "solver", "rev ab", "ba", """{"query": 1, "answer": 0, "advantage": 0}"""),
            // step 2, with the guard: the same query, its answers marked held out (not trained)
            Line(2, "challenger", "rev", item, """{"query": 0, "heldOut": true}"""),
            Line(2, "solver", item, "x", """{"query": 0, "answer": 0, "advantage": 0, "heldOut": true}"""),
            "",
        ];
        var rl = DomainCatalog.Default.Get<ISelfPlayGame>(TinyTasksTestbed.Frontier.Id).Rl(new RlDomainSettings(PartialCredit: false));
        var seeds = new Dictionary<int, HashSet<string>>
        {
            [11000001] = [.. TinyTasksTestbed.Frontier.Evaluation(60, 11000001).SelectMany(s => s.Items).Select(i => i.Instruction)],
            [11000101] = [.. TinyTasksTestbed.Frontier.Evaluation(60, 11000101).SelectMany(s => s.Items).Select(i => i.Instruction)],
        };
        var r = HeldOutReplay.Of(lines, rl.IsHeldOut, seeds);
        Assert.Equal((2, 3, 2), (r.Steps, r.Queries, r.HeldOut));
        Assert.Equal(2, r.EvaluationItems[11000001]);
        Assert.Equal(seeds[11000101].Contains(item) ? 2 : 0, r.EvaluationItems[11000101]);
        Assert.Equal(1, r.SolverGroupsTrainedOnHeldOut);                       // step 1's group; step 2's is marked
    }

    [Fact]
    public void Overlap_prints_a_row_per_seed_and_refuses_a_single_seed()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try { Assert.Equal(0, EvalVerb.Run(new Args("eval", ["--overlap", "11000001,11000101", "--domain", "tinytasks-headroom", "--per-split", "140"]))); }
        finally { Console.SetOut(previous); }
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("| seed | sort | cnt | dedup | ood | largest share |", lines[1]);
        Assert.StartsWith("| 11000001 |", lines[3]);
        Assert.StartsWith("| 11000101 |", lines[4]);
        var e = Assert.Throws<CliException>(() => EvalVerb.Run(new Args("eval", ["--overlap", "11000001", "--domain", "tinytasks-headroom"])));
        Assert.Contains("at least two seeds", e.Message);
    }
}
