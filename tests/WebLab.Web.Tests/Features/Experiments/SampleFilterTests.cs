// The Samples tab's filter on four hand-made samples.
using WebLab.Training.Experiments;
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Tests.Features.Experiments;

public class SampleFilterTests
{
    static readonly SampleDto[] Samples =
    [
        new(1, 10, "solver", "rev abc", "cba", 1, true),
        new(2, 10, "solver", "add 2 3", "6", 0, false, ReviewStatus: "disagree"),
        new(3, 20, "challenger", "", "ADD 4 4", null, null),
        new(4, 20, "eval", "add 9 9", "18", 1, true, ReviewStatus: "agree"),
    ];

    static long[] Ids(SampleFilter f) => [.. f.Apply(Samples).Select(s => s.Id)];

    [Fact]
    public void Each_condition_narrows_and_they_combine()
    {
        Assert.Equal([1L, 2, 3, 4], Ids(new()));
        Assert.Equal([1L, 2], Ids(new(Step: 10)));
        Assert.Equal([3L], Ids(new(Role: "challenger")));
        Assert.Equal([2L, 3, 4], Ids(new(Text: " Add ")));              // trimmed, any case, prompt or completion
        Assert.Equal([2L], Ids(new(WrongOnly: true)));                    // unscored (null) is not wrong
        Assert.Equal([4L], Ids(new(Step: 20, Text: "add", Role: "eval")));
        Assert.Empty(Ids(new(Step: 10, Role: "eval")));
        Assert.Equal([2L], Ids(new(Review: "disagree")));
        Assert.Equal([1L, 3], Ids(new(Review: "unreviewed")));
        Assert.Equal([4L], Ids(new(Review: "agree", Text: "add")));
    }

    [Fact]
    public void Shortcuts_only_keeps_the_vision_evaluations_the_judge_found_insufficient()
    {
        static string Extra(bool? shortcut) => SampleExtras.Write(new VisualEvalExtra("count", "2", "tinyscenes:crB00", "top left: big red circle.",
            "top left: big red circle.", "\\boxed{1}", shortcut));
        SampleDto[] visual =
        [
            new(5, 30, "eval", "how many shapes?", "… \\boxed{2}", 1, true, Extra(true)),     // right, description insufficient
            new(6, 30, "eval", "how many shapes?", "… \\boxed{1}", 0, false, Extra(false)),
            new(7, 30, "solver", "how many shapes?", "… \\boxed{2}", 1, true, Extra(true)),   // a rollout is never an evaluation shortcut
            .. Samples,
        ];
        Assert.Equal([5L], new SampleFilter(ShortcutsOnly: true).Apply(visual).Select(s => s.Id));
        Assert.Equal([5L], new SampleFilter(ShortcutsOnly: true, Review: "unreviewed").Apply(visual).Select(s => s.Id));
    }
}
