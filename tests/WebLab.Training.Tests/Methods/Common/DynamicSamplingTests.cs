// DAPO's dynamic sampling loop, worked by hand: rounds go on until enough candidates with a signal are kept, every
// candidate of a round is drawn, and the last round keeps one candidate when nothing was kept before it.
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Methods.Common;

public class DynamicSamplingTests
{
    // round r draws "r0", "r1", "r2"; a name ending in 1 has a signal
    static IEnumerable<string> Draw(int round, List<string> drawn)
    {
        var names = new[] { $"{round}0", $"{round}1", $"{round}2" };
        drawn.AddRange(names);
        return names;
    }

    static bool Signal(string name) => name.EndsWith('1');

    [Fact]
    public void Rounds_go_on_until_enough_candidates_with_a_signal_are_kept()
    {
        var drawn = new List<string>();
        // want 2: round 0 gives "01", round 1 gives "11"; round 2 is never drawn
        Assert.Equal(["01", "11"], DynamicSampling.Keep(0, 3, 2, r => Draw(r, drawn), Signal));
        Assert.Equal(["00", "01", "02", "10", "11", "12"], drawn);                              // each round drawn whole
    }

    [Fact]
    public void The_rounds_run_out_and_the_last_keeps_one_when_none_was_kept()
    {
        var drawn = new List<string>();
        Assert.Equal(["20"], DynamicSampling.Keep(0, 3, 2, r => Draw(r, drawn), _ => false, keepOneIfNone: true));
        Assert.Equal(9, drawn.Count);
        Assert.Empty(DynamicSampling.Keep(0, 3, 2, r => Draw(r, []), _ => false));            // without it: nothing
        // from round 1 (self-play's refills), wanting 1: "11"
        Assert.Equal(["11"], DynamicSampling.Keep(1, 3, 1, r => Draw(r, []), Signal));
        Assert.Empty(DynamicSampling.Keep(1, 3, 0, r => Draw(r, drawn), Signal));              // nothing wanted: no round
    }
}
