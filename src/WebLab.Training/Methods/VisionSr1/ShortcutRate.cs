// The Language Shortcut Rate (Vision-SR1 paper v2, §3.3.3): the share of samples whose final answer is right while their
// description alone does not let a judge answer right (the answer came from a language shortcut, not from what was seen).
// Also counted: descriptions that state the answer outright (they are "sufficient" without describing anything).
namespace WebLab.Training.Methods.VisionSr1;

/// <summary>One evaluated sample: was the final answer right, did the judge answer right from the description and the question
/// alone, and does the description contain the ground-truth answer as a word.</summary>
public sealed record ShortcutCase(bool AnswerCorrect, bool DescriptionSufficient, bool DescriptionStatesAnswer = false);

/// <summary>LSR = shortcuts / samples; Accuracy = right answers / samples; StatesAnswerRate = descriptions stating the answer / samples.</summary>
public sealed record ShortcutStats(int Samples, int Shortcuts, double Lsr, double Accuracy, double StatesAnswerRate);

public static class ShortcutRate
{
    public static ShortcutStats Of(IReadOnlyCollection<ShortcutCase> cases)
    {
        var n = cases.Count;
        var shortcuts = cases.Count(c => c.AnswerCorrect && !c.DescriptionSufficient);
        double Share(int k) => n == 0 ? 0 : (double)k / n;
        return new(n, shortcuts, Share(shortcuts), Share(cases.Count(c => c.AnswerCorrect)), Share(cases.Count(c => c.DescriptionStatesAnswer)));
    }

    /// <summary>Whether <paramref name="description"/> names <paramref name="answer"/> as a whole word, case-insensitively
    /// ("there are 3 circles" states "3"; "13 dots" does not).</summary>
    public static bool States(string description, string answer) =>
        answer.Trim().Length > 0 && System.Text.RegularExpressions.Regex.IsMatch(description,
            $@"(?<![\p{{L}}\p{{N}}]){System.Text.RegularExpressions.Regex.Escape(answer.Trim())}(?![\p{{L}}\p{{N}}])",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase);
}
