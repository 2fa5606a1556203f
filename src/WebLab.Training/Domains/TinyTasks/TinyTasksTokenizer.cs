// Character-level tokenizer for TinyTasks with role markers, and the prompt/target formats training and generation share.
// Solver:     <s><solver>rev abc=  →  cba</s>        Challenger: <s><challenger>rev   →  abc</s>  (task slot; or no family)
namespace WebLab.Training.Domains.TinyTasks;

using WebLab.Training.Tokenizers;

/// <summary>
/// 43 ids: 0 <c>&lt;pad&gt;</c>, 1 <c>&lt;s&gt;</c>, 2 <c>&lt;/s&gt;</c>, 3 <c>&lt;challenger&gt;</c>, 4 <c>&lt;solver&gt;</c>,
/// then space, <c>=</c> (the solver prompt's separator), <c>0</c>–<c>9</c>, <c>a</c>–<c>z</c>.
/// <see cref="Encode"/> throws <see cref="ArgumentException"/> on any other character (no unk token: an unknown
/// character is a bug upstream); it reads the special tokens back from their rendered form, so
/// <c>Encode(Decode(ids))</c> returns <c>ids</c> without pads. <see cref="Decode"/> skips pad.
/// </summary>
public sealed class TinyTasksTokenizer : ITokenizer
{
    /// <summary>Rendered forms of the special tokens, in id order.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } = ["<pad>", "<s>", "</s>", "<challenger>", "<solver>"];

    /// <summary>Plain characters, in id order after the special tokens.</summary>
    public const string Characters = " =0123456789abcdefghijklmnopqrstuvwxyz";

    /// <summary>Separator between instruction and answer in the solver format.</summary>
    public const char Separator = '=';

    /// <summary>A shared instance (the tokenizer is immutable).</summary>
    public static TinyTasksTokenizer Instance { get; } = new();

    /// <inheritdoc/>
    public int VocabSize => SpecialTokens.Count + Characters.Length;
    /// <inheritdoc/>
    public int PadId => 0;
    /// <inheritdoc/>
    public int BosId => 1;
    /// <inheritdoc/>
    public int EosId => 2;
    /// <summary>Role marker opening a Challenger prompt.</summary>
    public int ChallengerId => 3;
    /// <summary>Role marker opening a Solver prompt.</summary>
    public int SolverId => 4;
    /// <summary>Id of <see cref="Separator"/>, which ends a solver prompt.</summary>
    public int SeparatorId => SpecialTokens.Count + Characters.IndexOf(Separator);

    /// <inheritdoc/>
    public int[] Encode(string text)
    {
        var ids = new List<int>(text.Length);
        for (var i = 0; i < text.Length;)
        {
            var special = SpecialAt(text, i);
            if (special >= 0) { ids.Add(special); i += SpecialTokens[special].Length; continue; }
            var c = Characters.IndexOf(text[i]);
            if (c < 0) throw new ArgumentException($"character '{text[i]}' (U+{(int)text[i]:X4}) at {i} is not in the TinyTasks vocabulary", nameof(text));
            ids.Add(SpecialTokens.Count + c);
            i++;
        }
        return [.. ids];
    }

    /// <inheritdoc/>
    public string Decode(IEnumerable<int> ids) =>
        string.Concat(ids.Where(id => id != PadId).Select(Render));

    /// <summary>Decodes up to (not including) the first EOS, skipping pad and other special tokens: a generated answer or instruction.</summary>
    public string DecodeCompletion(IEnumerable<int> ids) =>
        string.Concat(ids.TakeWhile(id => id != EosId).Where(id => id >= SpecialTokens.Count).Select(Render));

    /// <summary>Solver prompt <c>&lt;s&gt;&lt;solver&gt;{instruction}=</c>; the model continues with <see cref="SolverTarget"/>.</summary>
    public int[] SolverPrompt(string instruction) => [BosId, SolverId, .. Encode(instruction), SeparatorId];

    /// <summary>Solver target <c>{answer}&lt;/s&gt;</c>.</summary>
    public int[] SolverTarget(string answer) => [.. Encode(answer), EosId];

    /// <summary>
    /// Challenger prompt <c>&lt;s&gt;&lt;challenger&gt;</c>, plus <c>{family} </c> when the task slot is filled
    /// (the note: naming the family helps); the model continues with <see cref="ChallengerTarget"/>.
    /// </summary>
    public int[] ChallengerPrompt(string? family) =>
        [BosId, ChallengerId, .. family is null ? [] : Encode(family + " ")];

    /// <summary>Challenger target: the part of <paramref name="instruction"/> after the prompt's family slot, then <c>&lt;/s&gt;</c>.</summary>
    public int[] ChallengerTarget(string? family, string instruction) =>
        [.. Encode(family is null ? instruction : StripFamily(family, instruction)), EosId];

    /// <summary>The full instruction from a Challenger completion: <c>{family} {completion}</c>, or the completion alone.</summary>
    public static string ChallengerInstruction(string? family, string completion) =>
        family is null ? completion : family + " " + completion;

    string Render(int id) => id < SpecialTokens.Count ? SpecialTokens[id] : Characters[id - SpecialTokens.Count].ToString();

    static int SpecialAt(string text, int i)
    {
        if (text[i] != '<') return -1;
        for (var s = 0; s < SpecialTokens.Count; s++)
            if (string.CompareOrdinal(text, i, SpecialTokens[s], 0, SpecialTokens[s].Length) == 0) return s;
        return -1;
    }

    static string StripFamily(string family, string instruction) =>
        instruction.StartsWith(family + " ", StringComparison.Ordinal)
            ? instruction[(family.Length + 1)..]
            : throw new ArgumentException($"instruction '{instruction}' does not start with family '{family} '", nameof(instruction));
}
