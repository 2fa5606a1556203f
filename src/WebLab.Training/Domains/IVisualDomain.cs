// What the vision methods (vision-sr1, vision-r1) need of a visual domain: training items with their images, the
// first-pass prompt in a response format, the text-only second-pass prompt, and held-out evaluation splits.
using WebLab.Training.Generation;

namespace WebLab.Training.Domains;

/// <summary>One visual question: its text, the ground-truth answer, the image's media source and the ground-truth description.</summary>
public sealed record VisualItem(string Question, string Answer, string Image, string Truth);

/// <summary>The vision methods' view of a domain (capability <see cref="DomainCapability.VisualQuestions"/>).</summary>
public interface IVisualDomain : IDomain
{
    /// <summary>A training item (never a held-out one).</summary>
    VisualItem TrainingItem(Random rng);
    /// <summary>The image (its placeholder run as the policy's <paramref name="processor"/> writes it), the question and the
    /// format's instruction.</summary>
    Prompt FirstPass(VisualItem item, ResponseFormat format, Models.IMediaProcessor processor);
    /// <summary>Text only: the caption-reasoner prompt over a description and the question.</summary>
    Prompt SecondPass(string description, string question);
    /// <summary>Held-out splits by name, drawn with <paramref name="seed"/> (null: the domain's fixed one).</summary>
    IReadOnlyDictionary<string, IReadOnlyList<VisualItem>> Evaluation(int perSplit, int? seed);
    /// <summary>Whether a split is out of the training distribution (reported apart, left out of the headline).</summary>
    bool IsApart(string split);
    /// <summary>The domain's exact sufficiency judge: whether <paramref name="description"/> (null: none was written) lets
    /// one answer <paramref name="item"/> right with no image; null where the domain has no such oracle.</summary>
    bool? Sufficient(VisualItem item, string? description) => null;
}
