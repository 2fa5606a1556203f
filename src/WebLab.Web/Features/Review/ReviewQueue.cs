// A reviewer's queue, as Argilla orders one: what this reviewer has not reviewed yet first, and within that the verdicts
// that matter most: those another reviewer disagreed with the judge on, then wins and losses, then ties (most ties are
// both answers right or both wrong, and say least). Pure: the Evaluation tab orders its list with it and shows the progress.
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Features.Review;

public static class ReviewQueue
{
    /// <summary>
    /// Verdicts in queue order for <paramref name="reviewer"/>: [tie, win, loss (disagreed by another), win (reviewed by me)]
    /// → loss, win, tie, then the one I reviewed.
    /// </summary>
    public static IEnumerable<VerdictDto> Order(IEnumerable<VerdictDto> verdicts, IReadOnlyCollection<ReviewEventDto> history, string reviewer)
    {
        var mine = ReviewedIds(history, reviewer);
        var disputed = history.Where(h => h.Status == "disagree").Select(h => h.TargetId).ToHashSet();
        return verdicts.OrderBy(v => mine.Contains(v.Id) ? 1 : 0)
            .ThenBy(v => disputed.Contains(v.Id) ? 0 : v.Verdict == WebLab.Training.Experiments.VerdictOutcomes.Tie ? 2 : 1)
            .ThenBy(v => v.Id);
    }

    /// <summary>How many of <paramref name="verdicts"/> <paramref name="reviewer"/> has reviewed.</summary>
    public static int ReviewedBy(IEnumerable<VerdictDto> verdicts, IReadOnlyCollection<ReviewEventDto> history, string reviewer)
    {
        var mine = ReviewedIds(history, reviewer);
        return verdicts.Count(v => mine.Contains(v.Id));
    }

    static HashSet<long> ReviewedIds(IEnumerable<ReviewEventDto> history, string reviewer) =>
        history.Where(h => h.Reviewer == reviewer).Select(h => h.TargetId).ToHashSet();

    /// <summary>What a reviewer of a method's verdicts is asked to judge, shown beside the queue.</summary>
    public static string Guidelines(string method) => method switch
    {
        "lsp" or "lsp-zero" or "grpo" =>
            "Judge the verdict, not the model: agree when the judge picked the better answer to the instruction (on TinyTasks, the right one; a tie when both are right or both wrong). Disagree when it did not, and say why in the comment. Unsure when the instruction or the answers leave it open; unsure is not counted in agreement.",
        "vision-sr1" or "vision-r1" or "seethink-noselfreward" =>
            "Look at the image: agree when the recorded reward is right about the answer (and, for a description, whether it states what the question needs); disagree with a comment otherwise.",
        _ => "Agree when the recorded verdict or reward is right; disagree with a comment when it is not; unsure when you cannot tell.",
    };
}
