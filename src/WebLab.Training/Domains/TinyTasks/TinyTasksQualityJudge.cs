// The rule-based stand-in for LSP's quality self-reward (the paper's Box 3) on TinyTasks, whose tiny model cannot judge.
// Seven binary criteria mirror Box 3's additive 0–7 score; none looks at correctness (that is the verifier's reward).
// It scores clarity and structure, not only parseability (shared/notes lesson 3): degenerate repetition and
// maximum-length queries lose points. A text that is not an instruction has no identifiable task, so none of the seven
// criteria can hold (every one is about the user's task or the response to it): it scores 0. Otherwise an invalid query
// would earn the Challenger form points (issue 13: under LSP more than a valid query the Solver solves).
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
        if (parsed.Task is not { } task) return new(0, "0000000");             // no identifiable task: no criterion holds
        var family = task.Family;
        bool[] c =
        [
            // 1. the user's task is identifiable: it parses, so its first word names a family
            true,
            // 2. the instruction is clear, specific and well-structured: it parses (the canonical form, one space apart)
            true,
            // 3. reasonable length: not a maximum-length stress string
            instruction.Trim().Length <= ConciseInstructionLength,
            // 4. not degenerate: bigram diversity of the arguments at least 0.5
            TinyTaskQuality.Diversity(instruction) >= 0.5,
            // 5. the response has the answer's form (digits for counts and sums, letters for words)
            answer.Length > 0 && IsWellFormed(family, answer),
            // 6. concise: no longer than the longest possible answer (12 characters)
            answer.Length > 0 && answer.Length <= TinyTaskLimits.MaxWordLength,
            // 7. it ends cleanly with the end token
            answerStopped,
        ];
        return new(c.Count(x => x), string.Concat(c.Select(x => x ? '1' : '0')));
    }

    static bool IsWellFormed(TinyTaskFamily family, string answer) => family.AnswerIsNumber()
        ? answer.All(char.IsAsciiDigit) && (answer == "0" || answer[0] != '0')
        : answer.All(ch => TinyTaskLimits.Alphabet.Contains(ch));
}
