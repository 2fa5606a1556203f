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
    bool allSteps, wrongOnly;
    string? role, text, review;

    IEnumerable<SampleDto> Shown => steps.Count == 0 ? [] :
        new SampleFilter(allSteps ? null : steps[Math.Min(stepIndex, steps.Count - 1)], role, text, wrongOnly, review).Apply(Samples);

    /// <summary>A visual sample's image, description and ground truth, or null for a text sample.</summary>
    static VisualEvalExtra? Visual(SampleDto s) => SampleExtras.Read<VisualEvalExtra>(s.ExtraJson) is { Image.Length: > 0 } v ? v : null;

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
