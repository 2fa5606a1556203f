// The rule-based stand-in for LSP's quality self-reward (the paper's Box 3) on TinyTasks, whose tiny model cannot judge.
// Seven binary criteria mirror Box 3's additive 0–7 score; none looks at correctness (that is the verifier's reward).
// It scores clarity and structure, not only parseability (shared/notes lesson 3): degenerate repetition and
// maximum-length queries lose points.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Score 0–7 and which criteria held ("1101101"), the judge's rationale.</summary>
public sealed record QualityScore(int Score, string Criteria);

public static class TinyTasksQualityJudge
{
    public const string Name = "tinytasks-rules (rule-based, not an LLM judge)";

    /// <summary>Longest instruction that still counts as concise (the longest generated level-6 item is ~40 characters).</summary>
    public const int ConciseInstructionLength = 40;

    public static QualityScore Score(string instruction, string answer, bool answerStopped)
    {
        var parsed = TinyTaskParser.Parse(instruction);
        var familyWord = instruction.Trim().Split(' ', 2)[0];
        bool[] c =
        [
            // 1. the user's task is identifiable: the first word names a family
            TinyTaskFamilies.TryGetByName(familyWord, out var family),
            // 2. the instruction is clear, specific and well-structured: it parses
            parsed.IsValid,
            // 3. reasonable length: not a maximum-length stress string
            parsed.IsValid && instruction.Trim().Length <= ConciseInstructionLength,
            // 4. not degenerate: bigram diversity of the arguments at least 0.5
            TinyTaskQuality.Diversity(instruction) >= 0.5,
            // 5. the response has the answer's form (digits for counts and sums, letters for words)
            answer.Length > 0 && IsWellFormed(family, answer, parsed.IsValid),
            // 6. concise: no longer than the longest possible answer (12 characters)
            answer.Length > 0 && answer.Length <= TinyTaskLimits.MaxWordLength,
            // 7. it ends cleanly with the end token
            answerStopped,
        ];
        return new(c.Count(x => x), string.Concat(c.Select(x => x ? '1' : '0')));
    }

    static bool IsWellFormed(TinyTaskFamily family, string answer, bool valid) => valid && family.Info().Shape switch
    {
        TinyTaskShape.Word when family != TinyTaskFamily.Len => answer.All(ch => TinyTaskLimits.Alphabet.Contains(ch)),
        _ => answer.All(char.IsAsciiDigit) && (answer == "0" || answer[0] != '0'),
    };
}
