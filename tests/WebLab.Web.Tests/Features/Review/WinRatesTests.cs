// Win-rate and agreement arithmetic, worked by hand.
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Review;

namespace WebLab.Web.Tests.Features.Review;

public sealed class WinRatesTests
{
    [Fact]
    public void Win_rate_counts_ties_as_half()
    {
        // W=3, T=2, L=1, n=6 → (3 + 2/2) / 6 = 4/6
        var cell = WinRates.Cell(["win", "win", "tie", "loss", "win", "tie"]);

        Assert.Equal(new WinRateCell(3, 2, 1), cell);
        Assert.Equal(6, cell.Count);
        Assert.Equal(4.0 / 6, cell.WinRate!.Value, 12);
    }

    [Fact]
    public void Table_has_a_cell_per_split_and_an_overall_over_all_verdicts()
    {
        // math: W=1 T=1 L=0 → 1.5/2 = 0.75; text: W=0 T=1 L=2 → 0.5/3 = 1/6; overall W=1 T=2 L=2 → 2/5 = 0.4
        var (splits, overall) = WinRates.Table([("math", "win"), ("math", "tie"), ("text", "tie"), ("text", "loss"), ("text", "loss")]);

        Assert.Equal(["math", "text"], splits.Keys);
        Assert.Equal(0.75, splits["math"].WinRate!.Value, 12);
        Assert.Equal(1.0 / 6, splits["text"].WinRate!.Value, 12);
        Assert.Equal(new WinRateCell(1, 2, 2), overall);
        Assert.Equal(0.4, overall.WinRate!.Value, 12);
    }

    [Fact]
    public void The_out_of_distribution_split_has_its_own_cell_and_stays_out_of_overall()
    {
        // rev: W=1 T=1 → overall over rev alone: 1.5/2 = 0.75; ood: L=2 → 0 in its own cell, not in overall
        var (splits, overall) = WinRates.Table([("rev", "win"), ("rev", "tie"), ("ood", "loss"), ("ood", "loss")]);

        Assert.Equal(new WinRateCell(0, 0, 2), splits["ood"]);
        Assert.Equal(new WinRateCell(1, 1, 0), overall);
        Assert.Equal(0.75, overall.WinRate!.Value, 12);
    }

    [Fact]
    public void An_empty_cell_has_no_win_rate()
    {
        Assert.Null(WinRates.Cell([]).WinRate);
    }

    [Fact]
    public void Agreement_is_the_share_of_reviewed_verdicts_marked_agree()
    {
        // 3 agree, 1 disagree, 0 unsure, 2 unreviewed → 3/4 of the reviewed
        var a = WinRates.Agreement([ReviewStatus.Agree, null, ReviewStatus.Agree, ReviewStatus.Disagree, null, ReviewStatus.Agree]);

        Assert.Equal(new Agreement(3, 1, 0, 2), a);
        Assert.Equal(0.75, a.Share!.Value, 12);
        Assert.Null(WinRates.Agreement([null]).Share);
        // the same from the DTOs' strings
        Assert.Equal(a, WinRates.AgreementOfStates(["agree", null, "agree", "disagree", null, "agree"]));
    }

    [Fact]
    public void Verdict_filter_picks_split_outcome_and_review_status()
    {
        VerdictDto V(long id, string split, string verdict, string? review) => new(id, 1, split, "p", "t", "b", true, "judge", verdict, "r", review, null, null);
        List<VerdictDto> all = [V(1, "math", "win", null), V(2, "math", "loss", "disagree"), V(3, "text", "loss", "agree"), V(4, "text", "tie", "unsure")];

        Assert.Equal([2, 3], EvaluationService.Filter(all, new(Outcome: "loss")).Select(v => v.Id));
        Assert.Equal([2], EvaluationService.Filter(all, new(Split: "math", Review: "disagreements")).Select(v => v.Id));
        Assert.Equal([1], EvaluationService.Filter(all, new(Review: "unreviewed")).Select(v => v.Id));
        Assert.Equal([4], EvaluationService.Filter(all, new(Review: "unsure")).Select(v => v.Id));
    }
}
