// Vision-SR1's reward (train_examples/reward_function/see_think_selfReward.py, restated) and Vision-R1's:
//   first pass normalised: white space around every '<', '>' and '/' removed (not the second pass);
//   format   = 1 when the whole normalised text is <description>…</description> <think>…</think> \boxed{…} and nothing else;
//   accuracy = 1 when the last \boxed{} content grades equal to the ground truth (AnswerGrader);
//   description = the second pass's accuracy; overall = 0.9·accuracy + 0.1·format + description.
//   Vision-R1: format is <think>…</think> \boxed{…}; overall = 0.9·accuracy + 0.1·format.
//   See-think without the self-reward (see_think_ablation_noSelfReward.py): see-think format, 0.9·accuracy + 0.1·format.
using System.Text.RegularExpressions;

namespace WebLab.Training.Methods.VisionSr1;

/// <summary>One response's reward and its parts (each 0 or 1; Overall one of 0, 0.1, 0.9, 1, 1.1, 1.9, 2).</summary>
public sealed record VisionSr1Score(double Overall, double Accuracy, double Format, double Description);

public static partial class VisionSr1Reward
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
        var text = Normalise(firstPass);
        var formatScore = (format == Domains.ResponseFormat.Think ? ThinkFormat() : SeeThinkFormat()).IsMatch(text) ? 1.0 : 0.0;
        var accuracy = AnswerGrader.Equal(Boxed.Last(text), groundTruth) ? 1.0 : 0.0;
        var description = secondPass is not null && AnswerGrader.Equal(Boxed.Last(secondPass), groundTruth) ? 1.0 : 0.0;
        return new((1 - FormatWeight) * accuracy + FormatWeight * formatScore + description, accuracy, formatScore, description);
    }

    /// <summary>"&lt;think &gt; 1 / 2" → "&lt;think&gt;1/2": the code's re.sub(r"\s*(&lt;|&gt;|/)\s*", r"\1", ·).</summary>
    public static string Normalise(string text) => AroundTagChars().Replace(text, "$1");

    [GeneratedRegex(@"\s*(<|>|/)\s*")]
    private static partial Regex AroundTagChars();

    [GeneratedRegex(@"^\s*<description>.*?</description>\s*<think>.*?</think>\s*\\boxed\{.*?\}\s*$", RegexOptions.Singleline)]
    private static partial Regex SeeThinkFormat();

    [GeneratedRegex(@"^\s*<think>.*?</think>\s*\\boxed\{.*?\}\s*$", RegexOptions.Singleline)]
    private static partial Regex ThinkFormat();
}
