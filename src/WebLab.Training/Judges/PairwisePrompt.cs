// The pairwise question an LLM judge answers, in AlpacaEval's manner: one instruction, two outputs labelled (a) and (b)
// in an order the caller chose, and a one-letter preference. Judges are told that length is not quality (AlpacaEval 2's
// known bias); ties are not asked for — identical outputs never reach the judge and count as ties.
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace WebLab.Training.Judges;

public static partial class PairwisePrompt
{
    public const string System =
        "You are a careful, impartial judge of how well AI assistants follow instructions. You will see one instruction " +
        "and two outputs. Prefer the output a thoughtful human expert would prefer: correct, helpful, honest and on point. " +
        "Do not let the order of the outputs or their length decide.";

    /// <summary>The chat messages for one comparison (<paramref name="first"/> is shown as (a)).</summary>
    public static IList<ChatMessage> Messages(string instruction, string first, string second) =>
    [
        new(ChatRole.System, System),
        new(ChatRole.User,
            $"## Instruction\n\n{instruction}\n\n## Output (a)\n\n{first}\n\n## Output (b)\n\n{second}\n\n" +
            "## Your answer\n\nWhich output is better? Reply with a single letter, a or b, and nothing else."),
    ];

    /// <summary>'a' or 'b' from the judge's reply ("a", "(b)", "Output (a).", "B"), or null when it is neither.</summary>
    public static char? Parse(string? reply)
    {
        if (reply is null) return null;
        var m = Choice().Match(reply.Trim());
        return m.Success ? char.ToLowerInvariant(m.Groups[1].Value[0]) : null;
    }

    [GeneratedRegex(@"^\W*(?:output\s*)?\(?([ab])\)?\W*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Choice();
}
