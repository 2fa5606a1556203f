// The Samples tab. Follows the newest step while the slider is on it (a reviewer scrubbing back stays where they are).
using Microsoft.AspNetCore.Components;
using WebLab.Training.Experiments;
using WebLab.Web.Features.Images;
using WebLab.Web.Features.Review;

namespace WebLab.Web.Features.Experiments.Tabs;

public partial class SamplesTab
{
    /// <summary>All samples of the run, in arrival order.</summary>
    [Parameter, EditorRequired] public IReadOnlyList<SampleDto> Samples { get; set; } = [];
    /// <summary>A review was saved: the page replaces that sample in its list (the Self-play tab shares it).</summary>
    [Parameter] public EventCallback<SampleDto> Reviewed { get; set; }

    List<long> steps = [];
    int stepIndex, seen = -1;
    bool allSteps, wrongOnly, shortcutsOnly;
    string? role, text, review;

    IEnumerable<SampleDto> Shown => steps.Count == 0 ? [] :
        new SampleFilter(allSteps ? null : steps[Math.Min(stepIndex, steps.Count - 1)], role, text, wrongOnly, review, shortcutsOnly).Apply(Samples);

    /// <summary>What a visual sample shows beside its text: the image, the description the model wrote, and a line of the
    /// rest (expected answer and ground truth for an evaluation; second-pass answer and reward parts for a rollout).</summary>
    /// <param name="Judges">For a see-think evaluation: each sufficiency judge's verdict on the description, side by side.</param>
    /// <param name="Truth">The scene's ground-truth description, where the domain has one.</param>
    sealed record VisualView(string Image, string? Truth, string? Description, string Detail, string? Judges = null);

    static VisualView? Visual(SampleDto s)
    {
        var extra = SampleExtras.Of(s.Role, s.ExtraJson);
        if (extra is VisualEvalExtra { Image.Length: > 0 } e)
            return new(e.Image, e.Truth, e.Description, $"expected: {e.Expected}" + (e.Shortcut == true ? " · SHORTCUT" : ""),
                e.OracleSufficient is null && e.StartModelSufficient is null ? null
                    : $"oracle: {Verdict(e.OracleSufficient)} · start-model judge: {Verdict(e.StartModelSufficient)}"
                      + (e.JudgeAnswer is null ? (e.Description is null ? " (no description to read)" : "") : $" (it answered {e.JudgeAnswer})"));
        if (extra is VisualRolloutExtra { Image.Length: > 0 } r)
            return new(r.Image, r.Truth, r.Description, $"expected: {r.Expected} · accuracy {r.Accuracy} · format {r.Format}"
                + (r.SecondPass is null ? "" : $" · second pass: {r.SecondPass} · description {r.DescriptionReward}") + $" · advantage {r.Advantage:0.###}");
        return null;
    }

    static string Verdict(bool? sufficient) => sufficient switch { true => "sufficient", false => "insufficient", null => "–" };

    /// <summary>The reference answer the sample was scored against, from its role's extras (null where the domain has none).</summary>
    static string? ExpectedOf(SampleDto s) => SampleExtras.Expected(s.ExtraJson);

    Agreement Agreement => WinRates.AgreementOfStates(Samples.Select(s => s.ReviewStatus));

    protected override void OnParametersSet()
    {
        if (Samples.Count == seen) return;
        seen = Samples.Count;
        var following = steps.Count == 0 || stepIndex >= steps.Count - 1;
        steps = Samples.Select(s => s.Step).Distinct().Order().ToList();
        if (following) stepIndex = Math.Max(0, steps.Count - 1);
    }
}
