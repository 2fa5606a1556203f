// Cohen's κ between two reviewers, worked by hand, and pairs built from a review history in which people change their minds.
using WebLab.Web.Features.Review;
using static WebLab.Web.Features.Review.ReviewStatus;

namespace WebLab.Web.Tests.Features.Review;

public sealed class ReviewerAgreementTests
{
    [Fact]
    public void Kappa_of_ten_items_worked_by_hand()
    {
        // both agree 4, both disagree 3, A agree / B disagree 2, A disagree / B agree 1:
        // p_o = 7/10; p_A(agree) = 6/10, p_B(agree) = 5/10 → p_e = .6·.5 + .4·.5 = .5; κ = (.7 − .5) / (1 − .5) = 0.4
        var items = Enumerable.Repeat((Agree, Agree), 4).Concat(Enumerable.Repeat((Disagree, Disagree), 3))
            .Concat(Enumerable.Repeat((Agree, Disagree), 2)).Append((Disagree, Agree)).ToList();
        Assert.Equal(0.4, ReviewerAgreement.CohenKappa(items)!.Value, 12);
    }

    [Fact]
    public void Kappa_is_one_for_full_agreement_and_undefined_without_variety()
    {
        Assert.Equal(1.0, ReviewerAgreement.CohenKappa([(Agree, Agree), (Disagree, Disagree), (Unsure, Unsure)])!.Value, 12);
        Assert.Null(ReviewerAgreement.CohenKappa([(Agree, Agree), (Agree, Agree)]));     // p_e = 1
        Assert.Null(ReviewerAgreement.CohenKappa([]));
        // opposite on two items with even shares: p_o = 0, p_e = .5 → κ = −1
        Assert.Equal(-1.0, ReviewerAgreement.CohenKappa([(Agree, Disagree), (Disagree, Agree)])!.Value, 12);
    }

    [Fact]
    public void Pairs_use_each_reviewers_latest_word_on_the_rows_both_reviewed()
    {
        var history = new[]
        {
            ("ann", "verdict", 1L, Disagree), ("ann", "verdict", 1L, Agree),      // ann changed her mind: agree counts
            ("bob", "verdict", 1L, Agree),
            ("ann", "verdict", 2L, Disagree), ("bob", "verdict", 2L, Agree),
            ("bob", "verdict", 3L, Agree),                                       // only bob: not shared
            ("cy", "verdict", 9L, Unsure),                                       // shares nothing with anyone
        };
        var pair = Assert.Single(ReviewerAgreement.Pairs(history));
        Assert.Equal(("ann", "bob", 2), (pair.A, pair.B, pair.Items));
        Assert.Equal(0.5, pair.ObservedAgreement, 12);
        // ann: agree, disagree; bob: agree, agree → p_e = .5·1 + .5·0 = .5, p_o = .5 → κ = 0
        Assert.Equal(0.0, pair.Kappa!.Value, 12);
    }

    [Fact]
    public void Agreement_leaves_unsure_out_of_the_share()
    {
        var a = WinRates.Agreement([Agree, Unsure, Unsure, Disagree, null]);
        Assert.Equal((4, 2, 0.5), (a.Reviewed, a.Decided, a.Share!.Value));
        Assert.Null(WinRates.Agreement([Unsure]).Share);
    }
}

public class JudgeAgreementTests
{
    static (string, string, long, ReviewStatus) R(string who, long verdict, ReviewStatus s) => (who, "verdict", verdict, s);

    [Fact]
    public void Each_reviewers_judge_agreement_counts_their_own_latest_word_and_stays_put_when_another_reviews()
    {
        // bea: v1 agree, v2 disagree (then agree: her latest), v3 disagree, v4 unsure → agree 2, disagree 1, unsure 1: 2/3
        // cal: v1 disagree, v2 disagree → 0/2
        var history = new List<(string, string, long, ReviewStatus)>
        {
            R("bea", 1, ReviewStatus.Agree), R("bea", 2, ReviewStatus.Disagree), R("cal", 1, ReviewStatus.Disagree),
            R("bea", 3, ReviewStatus.Disagree), R("bea", 4, ReviewStatus.Unsure), R("bea", 2, ReviewStatus.Agree), R("cal", 2, ReviewStatus.Disagree),
        };
        var before = ReviewerAgreement.WithJudge(history);
        Assert.Equal([("bea", new Agreement(2, 1, 1, 0)), ("cal", new Agreement(0, 2, 0, 0))], before.Select(j => (j.Reviewer, j.Agreement)));
        Assert.Equal(2 / 3.0, before[0].Agreement.Share!.Value, 12);

        // an Admin then reviews the same verdicts the other way: bea's and cal's figures do not move
        history.AddRange([R("admin", 1, ReviewStatus.Disagree), R("admin", 2, ReviewStatus.Disagree), R("admin", 3, ReviewStatus.Agree), R("admin", 4, ReviewStatus.Agree)]);
        var after = ReviewerAgreement.WithJudge(history);
        Assert.Equal(before, after.Where(j => j.Reviewer != "admin"));
        Assert.Equal(new Agreement(2, 2, 0, 0), after.Single(j => j.Reviewer == "admin").Agreement);

        // between reviewers, on the verdicts both reviewed: bea–cal on v1 (agree / disagree) and v2 (agree / disagree): 0% same;
        // p_e = p_bea(agree)·p_cal(agree) + … = 1·0 + 0·1 = 0 → κ = (0 − 0) / 1 = 0
        var pairs = ReviewerAgreement.Pairs(history);
        var beaCal = pairs.Single(p => p.A == "bea" && p.B == "cal");
        Assert.Equal((2, 0.0, (double?)0.0), (beaCal.Items, beaCal.ObservedAgreement, beaCal.Kappa));
    }
}

public class ReviewQueueTests
{
    static WebLab.Web.Features.Experiments.VerdictDto V(long id, string verdict) =>
        new(id, 10, "rev", $"p{id}", "t", "b", true, "exact", verdict, "r", null, null, null);
    static WebLab.Web.Features.Experiments.ReviewEventDto E(long target, string who, string status) => new(target, "verdict", target, who, status, null, DateTimeOffset.UtcNow);

    [Fact]
    public void A_reviewers_queue_puts_their_own_pending_disputed_wins_and_losses_before_ties()
    {
        // 1 tie, 2 win, 3 loss (cal disagreed with the judge), 4 win that bea reviewed already, 5 tie
        var verdicts = new[] { V(1, "tie"), V(2, "win"), V(3, "loss"), V(4, "win"), V(5, "tie") };
        var history = new[] { E(3, "cal", "disagree"), E(4, "bea", "agree") };
        Assert.Equal([3L, 2, 1, 5, 4], ReviewQueue.Order(verdicts, history, "bea").Select(v => v.Id));
        Assert.Equal([2L, 4, 1, 5, 3], ReviewQueue.Order(verdicts, history, "cal").Select(v => v.Id));
        Assert.Equal(1, ReviewQueue.ReviewedBy(verdicts, history, "bea"));
        Assert.Equal(1, ReviewQueue.ReviewedBy(verdicts, history, "cal"));
    }
}
