// Self-play samples (as the recipe logs them) become one row per challenger query with its solver answers.
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.SelfPlay;

namespace WebLab.Web.Tests.Features.SelfPlay;

public sealed class SelfPlayRoundsTests
{
    static SampleDto Challenger(long id, long step, int query, string task, string text, double reward, bool valid) =>
        new(id, step, "challenger", task, text, reward, valid,
            $$"""{"query":{{query}},"task":"{{task}}","category":"{{task}}","value":0.25,"quality_value":null,"advantage":-0.5}""");

    static SampleDto Solver(long id, long step, int query, int answer, string text, double reward) =>
        new(id, step, "solver", "q", text, reward, reward >= 1, $$"""{"query":{{query}},"answer":{{answer}},"quality":null,"advantage":{{reward - 0.5}},"stopped":true}""");

    [Fact]
    public void Solver_answers_join_their_challenger_query_by_index()
    {
        List<SampleDto> samples =
        [
            Challenger(1, 5, 0, "add", "2+3=", 0.5, true), Solver(2, 5, 0, 0, "5", 1), Solver(3, 5, 0, 1, "6", 0),
            Challenger(4, 5, 1, "rev", "abc", 1, true), Solver(5, 5, 1, 0, "cba", 1), Solver(6, 5, 1, 1, "cba", 1),
            Challenger(7, 9, 0, "add", "1+1=", 0, false),
        ];

        var rounds = SelfPlayRounds.At(samples, 5);

        Assert.Equal([5L, 9L], SelfPlayRounds.Steps(samples));
        Assert.Equal(2, rounds.Count);
        var first = rounds[0];
        Assert.Equal(("add", "2+3=", "add", true, 0.25, 0.5, -0.5), (first.Task, first.Query, first.Category, first.Valid!.Value, first.Value!.Value, first.Reward!.Value, first.Advantage!.Value));
        Assert.Equal(["5", "6"], first.Answers.Select(a => a.Answer));
        Assert.Equal([0.5, -0.5], first.Answers.Select(a => a.Advantage!.Value));
        Assert.Null(first.Answers[0].Quality);
        Assert.True(first.Answers[0].Stopped);
        Assert.Equal(["cba", "cba"], rounds[1].Answers.Select(a => a.Answer));
    }

    [Fact]
    public void Rounds_read_the_extras_the_recipe_writes()
    {
        // written through Training's typed extras, as SelfPlayRecipe does: LSP-Zero answers carry no quality
        List<SampleDto> samples =
        [
            new(1, 3, SampleRoles.Challenger, "rev", "rev ab", -0.5, true, SampleExtras.Write(new ChallengerExtra(0, "rev", "rev", 0.5, 0, 0.25))),
            new(2, 3, SampleRoles.Solver, "rev ab", "ba", 1, true, SampleExtras.Write(new SolverExtra(0, 1, null, 0.5, true))),
            new(3, 3, SampleRoles.Solver, "rev ab", "b", 0, false, SampleExtras.Write(new SolverExtra(0, 0, 4, -0.5, false))),
            // a refill (samplingRounds > 1): query 1 of a later round, which trained the Solver only
            new(4, 3, SampleRoles.Challenger, "rev", "rev abc", null, true, SampleExtras.Write(new ChallengerExtra(1, "rev", "rev", 0.5, null, 0) { Refill = true })),
        ];
        var rounds = SelfPlayRounds.At(samples, 3);
        Assert.Equal([false, true], rounds.Select(r => r.Refill));
        var round = rounds[0];
        Assert.Equal(("rev", 0.5, 0.25), (round.Category, round.Value!.Value, round.Advantage!.Value));
        Assert.Equal([(0, "b", (double?)4, -0.5, false), (1, "ba", null, 0.5, true)],
            round.Answers.Select(a => (a.Index, a.Answer, a.Quality, a.Advantage!.Value, a.Stopped!.Value)));
    }

    [Fact]
    public void Grpo_runs_have_no_self_play_steps()
    {
        Assert.Empty(SelfPlayRounds.Steps([new SampleDto(1, 1, "solver", "q", "a", 1, true)]));
    }

    [Fact]
    public void Level_shares_align_on_the_union_of_steps_with_zero_where_a_level_was_absent()
    {
        // level 1 logged at steps 1 and 2, level 3 at step 2 only: at step 1 level 3's share was 0 (the recipe logs present levels)
        static MetricDto P(long id, string name, long step, double v) => new(id, step, name, v, DateTimeOffset.UnixEpoch);
        var series = new Dictionary<string, List<MetricDto>>
        {
            ["challenger/level/1"] = [P(1, "challenger/level/1", 1, 1.0), P(3, "challenger/level/1", 2, 0.25)],
            ["challenger/level/3"] = [P(4, "challenger/level/3", 2, 0.75)],
            ["challenger/level_mean"] = [P(5, "challenger/level_mean", 2, 2.5)],   // not a share: left out
            ["challenger/family/rev"] = [P(2, "challenger/family/rev", 1, 1.0)],
        };
        var (steps, names, values) = SelfPlayRounds.Shares(series, SelfPlayRounds.LevelMetricPrefix);
        Assert.Equal([1L, 2L], steps);
        Assert.Equal(["1", "3"], names);
        Assert.Equal([1.0, 0.25], values[0]);
        Assert.Equal([0.0, 0.75], values[1]);
    }
}
