// The Samples tab's filter: one step or all, a role, text in the prompt or completion (case-insensitive), only the
// wrong ones (Correct = false), a review state ("unreviewed", "agree", "disagree", "unsure"), and only the language
// shortcuts (a vision evaluation whose answer was right while its description did not let the judge answer: what a
// reviewer checks, agreeing or disagreeing with the judge). Pure, so the tab and its tests agree.
using WebLab.Training.Experiments;

namespace WebLab.Web.Features.Experiments;

public sealed record SampleFilter(long? Step = null, string? Role = null, string? Text = null, bool WrongOnly = false, string? Review = null,
    bool ShortcutsOnly = false)
{
    public static bool IsShortcut(SampleDto s) =>
        s.Role == SampleRoles.Eval && SampleExtras.Read<VisualEvalExtra>(s.ExtraJson) is { Shortcut: true };

    public IEnumerable<SampleDto> Apply(IEnumerable<SampleDto> samples) => samples.Where(s =>
        (Step is null || s.Step == Step)
        && (string.IsNullOrEmpty(Role) || s.Role == Role)
        && (string.IsNullOrWhiteSpace(Text) || s.Prompt.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase)
            || s.Completion.Contains(Text.Trim(), StringComparison.OrdinalIgnoreCase))
        && (!WrongOnly || s.Correct == false)
        && (string.IsNullOrEmpty(Review) || (s.ReviewStatus ?? "unreviewed") == Review)
        && (!ShortcutsOnly || IsShortcut(s)));
}
