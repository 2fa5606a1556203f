// Agreement between people who reviewed the same rows: Cohen's κ for each pair of reviewers, over the rows both reviewed
// (each reviewer's latest word on a row counts; earlier ones are history).
namespace WebLab.Web.Features.Review;

/// <param name="Items">Rows both reviewed; Kappa is null when undefined (no items, or chance agreement of 1).</param>
public sealed record ReviewerPair(string A, string B, int Items, double ObservedAgreement, double? Kappa);

/// <summary>One reviewer's agreement with the judge, over the rows they reviewed (their latest word on each).</summary>
public sealed record JudgeAgreement(string Reviewer, Agreement Agreement);

public static class ReviewerAgreement
{
    /// <summary>
    /// Per reviewer (ordinal order), their agreement with the judge: agree / disagree / unsure over the rows they reviewed,
    /// each row's latest word of theirs. Another person's review never moves it (a row's latest word by anyone did: after an
    /// Admin reviewed the same verdicts, a Reviewer's 50% read 25%).
    /// </summary>
    public static IReadOnlyList<JudgeAgreement> WithJudge(IEnumerable<(string Reviewer, string Target, long TargetId, ReviewStatus Status)> historyOldestFirst)
    {
        var latest = new Dictionary<(string Reviewer, string Target, long Id), ReviewStatus>();
        foreach (var h in historyOldestFirst) latest[(h.Reviewer, h.Target, h.TargetId)] = h.Status;
        return [.. latest.GroupBy(kv => kv.Key.Reviewer, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new JudgeAgreement(g.Key, WinRates.Agreement(g.Select(kv => (ReviewStatus?)kv.Value))))];
    }

    /// <summary>The same, from a review history as the API and the page read it.</summary>
    public static IReadOnlyList<JudgeAgreement> WithJudge(IEnumerable<Experiments.ReviewEventDto> historyOldestFirst) =>
        WithJudge(historyOldestFirst.Select(h => (h.Reviewer, h.Target, h.TargetId, Enum.Parse<ReviewStatus>(h.Status, ignoreCase: true))));

    /// <summary>
    /// Cohen's κ = (p_o − p_e) / (1 − p_e): p_o the share of items given the same label, p_e the agreement expected by chance
    /// from each reviewer's own label shares, Σ_c p_A(c)·p_B(c). Null without items or when p_e = 1 (both always gave one label).
    /// </summary>
    public static double? CohenKappa(IReadOnlyList<(ReviewStatus A, ReviewStatus B)> items)
    {
        if (items.Count == 0) return null;
        double n = items.Count, po = items.Count(x => x.A == x.B) / n;
        double pe = Enum.GetValues<ReviewStatus>().Sum(c => items.Count(x => x.A == c) / n * (items.Count(x => x.B == c) / n));
        return pe >= 1 ? null : (po - pe) / (1 - pe);
    }

    /// <summary>The pairs from a review history as the API and the page read it.</summary>
    public static IReadOnlyList<ReviewerPair> Pairs(IEnumerable<Experiments.ReviewEventDto> historyOldestFirst) =>
        Pairs(historyOldestFirst.Select(h => (h.Reviewer, h.Target, h.TargetId, Enum.Parse<ReviewStatus>(h.Status, ignoreCase: true))));

    /// <summary>One row per pair of reviewers (names in ordinal order) who reviewed at least one row in common.</summary>
    public static IReadOnlyList<ReviewerPair> Pairs(IEnumerable<(string Reviewer, string Target, long TargetId, ReviewStatus Status)> historyOldestFirst)
    {
        var latest = new Dictionary<(string Reviewer, string Target, long Id), ReviewStatus>();
        foreach (var h in historyOldestFirst) latest[(h.Reviewer, h.Target, h.TargetId)] = h.Status;
        var byReviewer = latest.GroupBy(kv => kv.Key.Reviewer, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToDictionary(kv => (kv.Key.Target, kv.Key.Id), kv => kv.Value));
        var names = byReviewer.Keys.Order(StringComparer.Ordinal).ToList();
        var pairs = new List<ReviewerPair>();
        for (int i = 0; i < names.Count; i++)
            for (int j = i + 1; j < names.Count; j++)
            {
                var (a, b) = (byReviewer[names[i]], byReviewer[names[j]]);
                var common = a.Keys.Where(b.ContainsKey).Select(k => (a[k], b[k])).ToList();
                if (common.Count == 0) continue;
                pairs.Add(new(names[i], names[j], common.Count, common.Count(x => x.Item1 == x.Item2) / (double)common.Count, CohenKappa(common)));
            }
        return pairs;
    }
}
