// Vision-SR1's reward (train_examples/reward_function/see_think_selfReward.py, restated) and Vision-R1's:
//   format and accuracy as a visual domain grades a first pass (Domains/VisualAnswers: normalised, the format's shape,
//   the last \boxed{} graded by AnswerGrader); the second pass is not normalised;
//   description = the second pass's accuracy; overall = 0.9·accuracy + 0.1·format + description.
//   Vision-R1: format is <think>…</think> \boxed{…}; overall = 0.9·accuracy + 0.1·format.
//   See-think without the self-reward (see_think_ablation_noSelfReward.py): see-think format, 0.9·accuracy + 0.1·format.
using WebLab.Training.Domains;

namespace WebLab.Training.Methods.VisionSr1;

/// <summary>One response's reward and its parts (each 0 or 1; Overall one of 0, 0.1, 0.9, 1, 1.1, 1.9, 2).</summary>
public sealed record VisionSr1Score(double Overall, double Accuracy, double Format, double Description);

public static class VisionSr1Reward
{
    /// <summary>The weight of format in the first pass's part (the code's format_weight).</summary>
    public const double FormatWeight = 0.1;

    /// <param name="firstPass">The response to the image and question.</param>
    /// <param name="secondPass">The text-only answer to the caption-reasoner prompt, or null for Vision-R1 (no second pass).</param>
    public static VisionSr1Score Score(string firstPass, string? secondPass, string groundTruth) =>
        Score(firstPass, secondPass is null ? Domains.ResponseFormat.Think : Domains.ResponseFormat.SeeThink, secondPass, groundTruth);

    /// <param name="format">The format the first pass is held to: see-think (Vision-SR1 and its baseline without the
    /// self-reward, whose reward is 0.9·accuracy + 0.1·format alone) or chain of thought (Vision-R1).</param>
    /// <param name="secondPass">The second pass's answer, or null when there is none (its description part is then 0).</param>
    public static VisionSr1Score Score(string firstPass, Domains.ResponseFormat format, string? secondPass, string groundTruth)
    {
        var (right, formatted) = VisualAnswers.Grade(firstPass, format, groundTruth);
        double accuracy = right ? 1 : 0, formatScore = formatted ? 1 : 0;
        var description = secondPass is not null && VisualAnswers.IsRight(secondPass, groundTruth) ? 1.0 : 0.0;
        return new((1 - FormatWeight) * accuracy + FormatWeight * formatScore + description, accuracy, formatScore, description);
    }

    /// <summary>The first pass normalised as the reward reads it (<see cref="VisualAnswers.Normalise"/>).</summary>
    public static string Normalise(string text) => VisualAnswers.Normalise(text);
}
