// A word-level tokenizer for TinyScenes: the domain's words, digits and punctuation, the response tags, and each fixed
// instruction of the Vision-SR1 prompts as one token. The prompts' text stays verbatim (decode gives it back); a tiny
// model just reads an 800-character instruction as one symbol instead of 800 (a named deviation of the tiny testbed:
// the paper's models read it in subword tokens).
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.TinyScenes;

public sealed class TinyScenesTokenizer : ITokenizer
{
    public const int Pad = 0, Bos = 1, Eos = 2, Image = 3, Unknown = 4;
    public const string BoxOpen = "\\boxed{", BoxClose = "}";

    static readonly string[] Specials = ["<pad>", "<s>", "</s>", "<image>", "<unk>"];

    /// <summary>The caption-reasoner prompt's fixed parts, split around its description and question slots.</summary>
    public static readonly (string Head, string Middle, string Tail) CaptionParts = Split(VisualPrompts.CaptionReasoner("\u0001", "\u0002"));

    static (string, string, string) Split(string s)
    {
        int d = s.IndexOf('\u0001'), q = s.IndexOf('\u0002');
        return (s[..d].Trim(), s[(d + 1)..q].Trim(), s[(q + 1)..].Trim());
    }

    static readonly string[] Phrases =
    [
        VisualPrompts.SeeThink, VisualPrompts.ChainOfThought, CaptionParts.Head, CaptionParts.Middle, CaptionParts.Tail,
        "<description>", "</description>", "<think>", "</think>", BoxOpen,
    ];

    static readonly string[] Words =
    [
        // scenes
        "circle", "square", "triangle", "circles", "squares", "triangles", "red", "green", "blue", "yellow", "small", "big",
        "at", "top", "bottom", "left", "right", "center", "no", "shapes",
        // questions
        "how", "many", "what", "color", "is", "the", "there", "a", "are", "more", "than", "and", "of", "above", "below",
        // answers and reasoning
        "yes", "so", "plus", "count", "i", "not", "one", "only", "none", "described",
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
        ".", "?", ",", ":", BoxClose,
    ];

    readonly string[] vocab = [.. Specials, .. Phrases, .. Words];
    readonly Dictionary<string, int> ids;
    readonly string[] phrasesLongestFirst = [.. Phrases.OrderByDescending(p => p.Length)];

    public TinyScenesTokenizer() => ids = vocab.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i, StringComparer.Ordinal);

    public int VocabSize => vocab.Length;

    /// <summary>SHA-256 of the vocabulary in id order: a model trained over it reads ids, so any change needs a new base.</summary>
    public string Fingerprint => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join("\u0000", vocab))));
    public int BosId => Bos;
    public int EosId => Eos;
    public int PadId => Pad;
    public int Id(string token) => ids[token];

    /// <summary>Phrases first (longest match), then a run of letters, one digit, or one punctuation mark; anything else is &lt;unk&gt;.</summary>
    public int[] Encode(string text)
    {
        var result = new List<int>();
        int i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i])) { i++; continue; }
            var phrase = phrasesLongestFirst.FirstOrDefault(p => string.CompareOrdinal(text, i, p, 0, p.Length) == 0);
            if (phrase is not null) { result.Add(ids[phrase]); i += phrase.Length; continue; }
            int j = i + 1;
            if (char.IsLetter(text[i])) while (j < text.Length && char.IsLetter(text[j])) j++;
            result.Add(ids.TryGetValue(text[i..j], out var id) ? id : Unknown);
            i = j;
        }
        return [.. result];
    }

    /// <summary>Tokens joined by spaces, except before punctuation and the box's close and after its open; specials dropped.</summary>
    public string Decode(IEnumerable<int> tokenIds)
    {
        var sb = new System.Text.StringBuilder();
        string? previous = null;
        foreach (var id in tokenIds)
        {
            if (id is Pad or Bos or Eos or Image || id < 0 || id >= vocab.Length) continue;
            var t = vocab[id];
            bool glue = previous is null || previous == BoxOpen || t is "." or "?" or "," or ":" or BoxClose;
            if (!glue) sb.Append(' ');
            sb.Append(t);
            previous = t;
        }
        return sb.ToString();
    }
}
