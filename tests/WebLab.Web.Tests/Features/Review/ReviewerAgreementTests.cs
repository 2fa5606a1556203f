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
