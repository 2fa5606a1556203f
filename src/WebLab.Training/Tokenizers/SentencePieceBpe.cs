// The SentencePiece-style BPE of a Hugging Face tokenizer.json (Llama 2, Mistral, TinyLlama, Vicuna): no byte-level
// alphabet; spaces become "▁" and the text gains a leading "▁" (the Prepend/Replace normaliser, or a Metaspace
// pre-tokenizer with prepend_scheme "always" or "first"); characters are merged by the merges' ranks, lowest first and
// leftmost on ties; a character the vocabulary lacks falls back to its UTF-8 bytes as "<0xXX>" tokens (byte_fallback),
// else to <unk> (consecutive ones fused with fuse_unk). Decoding reverses it: "▁" → " ", byte tokens joined and read as
// UTF-8, the one leading space stripped.
using System.Text;

namespace WebLab.Training.Tokenizers;

public sealed class SentencePieceBpe
{
    public const char Space = '▁';
    readonly Dictionary<string, int> vocab;
    readonly Dictionary<(string, string), int> ranks;
    readonly int? unk;
    readonly bool byteFallback, fuseUnk;
    readonly int?[] byteIds = new int?[256];

    /// <summary>How the leading "▁" is added: to every stretch between added tokens (the legacy Prepend normaliser and
    /// Metaspace "always"), or to the text's first stretch only (Metaspace "first"), or never.</summary>
    public enum Prepend { Always, First, Never }
    public Prepend Scheme { get; }

    public SentencePieceBpe(Dictionary<string, int> vocab, IEnumerable<(string Left, string Right)> merges, int? unk, bool byteFallback, bool fuseUnk, Prepend scheme)
    {
        this.vocab = vocab;
        ranks = merges.Select((m, i) => (m, i)).GroupBy(p => p.m).ToDictionary(g => g.Key, g => g.First().i);
        (this.unk, this.byteFallback, this.fuseUnk, Scheme) = (unk, byteFallback, fuseUnk, scheme);
        for (int b = 0; b < 256; b++) byteIds[b] = vocab.TryGetValue($"<0x{b:X2}>", out var id) ? id : null;
    }

    /// <summary>Appends the ids of one stretch of text between added tokens; <paramref name="first"/>: it starts the text.</summary>
    public void Encode(string text, bool first, List<int> ids)
    {
        if (text.Length == 0) return;
        bool prepend = Scheme == Prepend.Always || (Scheme == Prepend.First && first);
        var normalised = (prepend ? Space + text : text).Replace(' ', Space);
        // 1. symbols: one per character (a surrogate pair is one character)
        var symbols = new List<string>();
        for (int i = 0; i < normalised.Length; i++)
            symbols.Add(char.IsHighSurrogate(normalised[i]) && i + 1 < normalised.Length ? normalised.Substring(i++, 2) : normalised[i].ToString());
        // 2. merges: the adjacent pair of lowest rank, leftmost first, until none applies
        while (symbols.Count > 1)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (ranks.TryGetValue((symbols[i], symbols[i + 1]), out var r) && r < bestRank) (best, bestRank) = (i, r);
            if (best < 0) break;
            symbols[best] += symbols[best + 1];
            symbols.RemoveAt(best + 1);
        }
        // 3. ids: the vocabulary's, else the symbol's UTF-8 bytes, else <unk>
        bool lastUnk = false;
        foreach (var s in symbols)
        {
            if (vocab.TryGetValue(s, out var id)) { ids.Add(id); lastUnk = false; continue; }
            var bytes = Encoding.UTF8.GetBytes(s);
            if (byteFallback && bytes.All(b => byteIds[b] is not null)) { ids.AddRange(bytes.Select(b => byteIds[b]!.Value)); lastUnk = false; continue; }
            if (unk is not { } u) throw new InvalidDataException($"'{s}' is not in the vocabulary and the tokenizer has no unk_token");
            if (!(fuseUnk && lastUnk)) ids.Add(u);
            lastUnk = true;
        }
    }

    /// <summary>The text of vocabulary tokens (no added ones): "▁" as spaces, byte tokens read as UTF-8 (U+FFFD where invalid).</summary>
    public static void Decode(IEnumerable<string> tokens, StringBuilder text, List<byte> pending)
    {
        foreach (var t in tokens)
        {
            if (t.Length == 6 && t.StartsWith("<0x", StringComparison.Ordinal) && t[5] == '>' && byte.TryParse(t.AsSpan(3, 2), System.Globalization.NumberStyles.HexNumber, null, out var b))
            {
                pending.Add(b);
                continue;
            }
            Flush(text, pending);
            text.Append(t.Replace(Space, ' '));
        }
    }

    public static void Flush(StringBuilder text, List<byte> pending)
    {
        if (pending.Count == 0) return;
        text.Append(Encoding.UTF8.GetString(pending.ToArray()));
        pending.Clear();
    }
}
