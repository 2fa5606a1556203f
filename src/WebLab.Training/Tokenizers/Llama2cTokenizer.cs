// llama2.c's tokenizer.bin (SentencePiece BPE export): encode and decode exactly as karpathy/llama2.c run.c does.
// Pieces are kept as Latin-1 strings, one char per byte, so lookups and concatenation work on bytes, not UTF-16.
using System.Globalization;
using System.Text;

namespace WebLab.Training.Tokenizers;

public sealed class Llama2cTokenizer : ITokenizer
{
    readonly string[] _pieces;                  // [vocab]: piece bytes as Latin-1 chars
    readonly float[] _scores;                   // [vocab]: merge priority, higher merges first
    readonly Dictionary<string, int> _ids;      // piece → lowest id with that piece

    public int VocabSize => _pieces.Length;
    public int BosId => 1;
    public int EosId => 2;
    /// <summary>llama2.c has no pad token; 0 (<c>&lt;unk&gt;</c>, never produced by Encode thanks to byte fallback) stands in.</summary>
    public int PadId => 0;
    /// <summary>The longest piece in bytes, from the file header.</summary>
    public int MaxTokenLength { get; }

    Llama2cTokenizer(string[] pieces, float[] scores, int maxTokenLength)
    {
        (_pieces, _scores, MaxTokenLength) = (pieces, scores, maxTokenLength);
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < pieces.Length; i++) _ids.TryAdd(pieces[i], i);
    }

    /// <summary>
    /// Reads tokenizer.bin: int32 max_token_length, then per token float32 score, int32 len, len bytes.
    /// The file does not store its size: <paramref name="vocabSize"/> comes from the checkpoint's config.
    /// </summary>
    public static Llama2cTokenizer Load(string path, int vocabSize)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        try
        {
            int maxLen = reader.ReadInt32();
            var pieces = new string[vocabSize];
            var scores = new float[vocabSize];
            for (int i = 0; i < vocabSize; i++)
            {
                scores[i] = reader.ReadSingle();
                int len = reader.ReadInt32();
                if (len < 0 || len > reader.BaseStream.Length - reader.BaseStream.Position)
                    throw new InvalidDataException($"llama2c tokenizer '{path}': token {i} claims {len} bytes, past the end of the file");
                pieces[i] = Encoding.Latin1.GetString(reader.ReadBytes(len));
            }
            return new Llama2cTokenizer(pieces, scores, maxLen);
        }
        catch (EndOfStreamException)
        {
            throw new InvalidDataException($"llama2c tokenizer '{path}' ends before {vocabSize} tokens (is vocab_size right?)");
        }
    }

    /// <summary>The raw bytes of a piece as stored in the file (no byte-token or space handling).</summary>
    public byte[] Piece(int id) => Encoding.Latin1.GetBytes(_pieces[id]);

    public float Score(int id) => _scores[id];

    // ----------------------------------------------------------------------------------------------------
    // decoding

    /// <summary>
    /// run.c's decode(prev, token): after BOS a leading space is stripped (SentencePiece's dummy prefix);
    /// a piece <c>&lt;0xXX&gt;</c> is the single raw byte XX (byte 0 gives no bytes, as run.c's C string does).
    /// </summary>
    public byte[] DecodePiece(int prevToken, int token)
    {
        var piece = _pieces[token];
        if (prevToken == BosId && piece.StartsWith(' ')) piece = piece[1..];
        if (TryParseByteToken(piece, out byte b)) return b == 0 ? [] : [b];
        return Encoding.Latin1.GetBytes(piece);
    }

    /// <summary>
    /// Concatenates the pieces as bytes, then reads them as UTF-8 (so characters split over byte tokens survive).
    /// The start counts as following BOS (Encode's dummy-prefix space is dropped); BOS, EOS and &lt;unk&gt;/pad emit nothing.
    /// </summary>
    public string Decode(IEnumerable<int> ids)
    {
        var bytes = new List<byte>();
        int prev = BosId;
        foreach (var id in ids)
        {
            if (id != PadId && id != BosId && id != EosId) bytes.AddRange(DecodePiece(prev, id));
            prev = id;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    /// <summary>
    /// The text llama2.c's <c>run</c> prints for a generated sequence, before its final "\n": starting from the first
    /// token (BOS), prints decode(prev, next) through safe_printf for each next token and stops at the next BOS.
    /// safe_printf drops a single-byte piece that is neither printable ASCII nor whitespace (C locale).
    /// </summary>
    public string RenderLikeRunC(IEnumerable<int> tokensIncludingBos)
    {
        var bytes = new List<byte>();
        using var e = tokensIncludingBos.GetEnumerator();
        if (!e.MoveNext()) return "";
        int prev = e.Current;
        while (e.MoveNext())
        {
            int next = e.Current;
            if (next == BosId) break;   // run.c: "the BOS (=1) token delimits sequences"
            var piece = DecodePiece(prev, next);
            if (!(piece.Length == 1 && !IsPrintOrSpace(piece[0]))) bytes.AddRange(piece);
            prev = next;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    static bool IsPrintOrSpace(byte b) => b is >= 0x20 and <= 0x7E || b is >= 0x09 and <= 0x0D;

    /// <summary>run.c: sscanf(piece, "&lt;0x%02hhX&gt;"): "&lt;0x" then one or two hex digits.</summary>
    static bool TryParseByteToken(string piece, out byte value)
    {
        value = 0;
        if (!piece.StartsWith("<0x", StringComparison.Ordinal)) return false;
        int digits = 0;
        while (digits < 2 && 3 + digits < piece.Length && char.IsAsciiHexDigit(piece[3 + digits])) digits++;
        if (digits == 0) return false;
        value = byte.Parse(piece.AsSpan(3, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        return true;
    }

    // ----------------------------------------------------------------------------------------------------
    // encoding

    /// <summary>run.c's encode without BOS/EOS: callers prepend <see cref="BosId"/> themselves.</summary>
    public int[] Encode(string text) => Encode(text, bos: false, eos: false);

    /// <summary>
    /// run.c's encode: optional BOS; a dummy-prefix " " token when the text is non-empty; each UTF-8 character
    /// (up to 4 bytes) looked up as a piece, else its bytes as byte tokens (byte + 3); then the best-scoring adjacent
    /// merge repeatedly until none is in the vocabulary; optional EOS.
    /// </summary>
    public int[] Encode(string text, bool bos, bool eos = false)
    {
        var utf8 = Encoding.UTF8.GetBytes(text);
        var tokens = new List<int>(utf8.Length + 3);
        if (bos) tokens.Add(BosId);
        // step 1: dummy prefix. run.c would push -1 when " " is missing; we fall back to the byte token (pragmatic)
        if (utf8.Length > 0) tokens.Add(_ids.TryGetValue(" ", out int space) ? space : ' ' + 3);
        // step 2: one token per UTF-8 character, byte fallback when the character is not a piece
        for (int start = 0; start < utf8.Length;)
        {
            int end = start + 1;
            while (end < utf8.Length && (utf8[end] & 0xC0) == 0x80 && end - start < 4) end++;
            var ch = Encoding.Latin1.GetString(utf8, start, end - start);
            if (_ids.TryGetValue(ch, out int id)) tokens.Add(id);
            else for (int i = start; i < end; i++) tokens.Add(utf8[i] + 3);   // <0x00>..<0xFF> are ids 3..258
            start = end;
        }
        // step 3: merge the best-scoring adjacent pair (first on ties) until no pair is a piece
        while (true)
        {
            float bestScore = -1e10f;
            int bestId = -1, bestIdx = -1;
            for (int i = 0; i < tokens.Count - 1; i++)
            {
                if (_ids.TryGetValue(_pieces[tokens[i]] + _pieces[tokens[i + 1]], out int id) && _scores[id] > bestScore)
                    (bestScore, bestId, bestIdx) = (_scores[id], id, i);
            }
            if (bestIdx == -1) break;
            tokens[bestIdx] = bestId;
            tokens.RemoveAt(bestIdx + 1);
        }
        if (eos) tokens.Add(EosId);
        return tokens.ToArray();
    }
}
