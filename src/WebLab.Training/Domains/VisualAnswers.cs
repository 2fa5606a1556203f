// How a visual domain grades a response in its format, as Vision-SR1's public code does
// (train_examples/reward_function/see_think_selfReward.py): the text normalised (white space around every '<', '>' and '/'
// removed); in the format when the whole text is <description>…</description> <think>…</think> \boxed{…} (see-think)
// or <think>…</think> \boxed{…} (chain of thought) and nothing else; right when its last \boxed{} grades equal to the
// truth (AnswerGrader). Domains grade their evaluations with it; the vision methods build their rewards on it.
using System.Text.RegularExpressions;

namespace WebLab.Training.Domains;

public static partial class VisualAnswers
{
    /// <summary>"&lt;think &gt; 1 / 2" → "&lt;think&gt;1/2": the code's re.sub(r"\s*(&lt;|&gt;|/)\s*", r"\1", ·).</summary>
    public static string Normalise(string text) => AroundTagChars().Replace(text, "$1");

    /// <summary>Whether normalised <paramref name="text"/> is exactly the <paramref name="format"/>'s shape.</summary>
    public static bool IsFormatted(string text, ResponseFormat format) =>
        (format == ResponseFormat.Think ? ThinkFormat() : SeeThinkFormat()).IsMatch(text);

    /// <summary>Whether the last \boxed{} of <paramref name="text"/> grades equal to <paramref name="truth"/>.</summary>
    public static bool IsRight(string text, string truth) => AnswerGrader.Equal(Boxed.Last(text), truth);

    /// <summary>A first-pass response graded: right (on the normalised text) and in the format.</summary>
    public static (bool Right, bool Formatted) Grade(string response, ResponseFormat format, string truth)
    {
        var text = Normalise(response);
        return (IsRight(text, truth), IsFormatted(text, format));
    }

    [GeneratedRegex(@"\s*(<|>|/)\s*")]
    private static partial Regex AroundTagChars();

    [GeneratedRegex(@"^\s*<description>.*?</description>\s*<think>.*?</think>\s*\\boxed\{.*?\}\s*$", RegexOptions.Singleline)]
    private static partial Regex SeeThinkFormat();

    [GeneratedRegex(@"^\s*<think>.*?</think>\s*\\boxed\{.*?\}\s*$", RegexOptions.Singleline)]
    private static partial Regex ThinkFormat();
}
