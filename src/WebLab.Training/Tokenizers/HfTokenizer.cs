// A Hugging Face tokenizer.json of the byte-level BPE kind (Llama 3, Qwen2 / 2.5 / 3, GPT-2), with the special tokens
// and chat template of its tokenizer_config.json. Encoding, as the tokenizers library does it:
//   1. the file's added tokens ("<|im_start|>", "<|eot_id|>", …) split the text first and map to their ids;
//   2. the normalizer (none, or NFC for Qwen) and the pre-tokenizer's regex cut each other stretch into words;
//   3. each word's UTF-8 bytes, in GPT-2's byte alphabet, are merged by Microsoft.ML.Tokenizers' BPE — except that with
//      "ignore_merges" (Llama 3) a word the vocabulary holds whole is that one token, a rule the library lacks.
// Or of the SentencePiece-style BPE kind (Llama 2, Mistral, TinyLlama, Vicuna: byte_fallback, "▁" for spaces; see
// SentencePieceBpe), recognised by its Prepend/Replace normaliser or Metaspace pre-tokenizer.
// Anything else (WordPiece, Unigram, other normalizers or pre-tokenizers) is refused by name, never guessed.
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace WebLab.Training.Tokenizers;

public sealed class HfTokenizer : ITokenizer
{
    public const string TokenizerFile = "tokenizer.json";
    public const string ConfigFile = "tokenizer_config.json";
    /// <summary>GPT-2's word pattern, for a ByteLevel pre-tokenizer that splits with its own regex.</summary>
    const string Gpt2Pattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    readonly BpeTokenizer? _bpe;                        // byte-level BPE, or
    readonly SentencePieceBpe? _spm;                    // SentencePiece-style BPE
    readonly Dictionary<string, int> _vocab;           // byte-level token → id
    readonly string[] _tokens;                          // id → byte-level token or added token's text ("" when unused)
    readonly HashSet<int> _added = [];                  // ids of added tokens (decoded as their text)
    readonly Regex _words;
    readonly Regex? _addedSplit;                        // longest added token first
    readonly Dictionary<string, int> _addedIds;
    readonly bool _nfc, _ignoreMerges;

    public int VocabSize => _tokens.Length;
    public int BosId { get; }
    public int EosId { get; }
    public int PadId { get; }
    /// <summary>The added tokens by text (special and not), e.g. "&lt;|im_end|&gt;" → 151645.</summary>
    public IReadOnlyDictionary<string, int> AddedTokens => _addedIds;
    /// <summary>The chat template of tokenizer_config.json when it is one this lab renders, else null (see ChatTemplate).</summary>
    public ChatTemplate? Chat { get; }
    /// <summary>Why Chat is null: the template is missing or not recognised (shown when a chat prompt is asked for).</summary>
    public string? ChatUnavailableReason { get; }

    /// <summary>Reads tokenizer.json and, when present, tokenizer_config.json from a model folder.</summary>
    public static HfTokenizer FromFolder(string dir, ChatFamily? declaredChat = null)
    {
        var path = Path.Combine(dir, TokenizerFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"model folder '{dir}' has no {TokenizerFile}", path);
        var config = Path.Combine(dir, ConfigFile);
        return FromJson(File.ReadAllText(path), File.Exists(config) ? File.ReadAllText(config) : null, declaredChat, path);
    }

    public static HfTokenizer FromJson(string tokenizerJson, string? configJson, ChatFamily? declaredChat = null, string source = TokenizerFile)
    {
        try
        {
            using var doc = JsonDocument.Parse(tokenizerJson);
            using var cfg = configJson is null ? null : JsonDocument.Parse(configJson);
            return new HfTokenizer(doc.RootElement, cfg?.RootElement, declaredChat, source);
        }
        catch (JsonException ex) { throw new InvalidDataException($"{source}: not valid JSON ({ex.Message})", ex); }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidDataException($"{source}: not a tokenizer.json this lab reads ({ex.Message})", ex);
        }
    }

    HfTokenizer(JsonElement root, JsonElement? config, ChatFamily? declaredChat, string source)
    {
        var model = root.GetProperty("model");
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type != "BPE") throw new InvalidDataException($"{source}: model type '{type}' is not supported (only byte-level BPE: Llama 3, Qwen2)");
        var spmScheme = SentencePieceScheme(root, source);
        _ignoreMerges = model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True;
        if (spmScheme is null)
        {
            if (model.TryGetProperty("byte_fallback", out var bf) && bf.ValueKind == JsonValueKind.True)
                throw new InvalidDataException($"{source}: byte_fallback BPE without SentencePiece's \"▁\" normaliser or Metaspace pre-tokenizer is not supported");
            _nfc = ReadNormalizer(root, source);
            _words = new Regex(ReadWordPattern(root, source), RegexOptions.Compiled | RegexOptions.CultureInvariant);
        }
        else _words = new Regex("(?s).+", RegexOptions.CultureInvariant);       // unused: SentencePiece splits nothing before BPE

        _vocab = model.GetProperty("vocab").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt32(), StringComparer.Ordinal);
        var merges = model.GetProperty("merges").EnumerateArray()
            .Select(m => m.ValueKind == JsonValueKind.String ? m.GetString()! : $"{m[0].GetString()} {m[1].GetString()}").ToList();
        _addedIds = root.TryGetProperty("added_tokens", out var added)
            ? added.EnumerateArray().ToDictionary(a => a.GetProperty("content").GetString()!, a => a.GetProperty("id").GetInt32(), StringComparer.Ordinal)
            : new Dictionary<string, int>(StringComparer.Ordinal);
        _addedSplit = _addedIds.Count == 0 ? null
            : new Regex(string.Join('|', _addedIds.Keys.OrderByDescending(k => k.Length).Select(Regex.Escape)), RegexOptions.CultureInvariant);

        int size = Math.Max(_vocab.Values.DefaultIfEmpty(-1).Max(), _addedIds.Values.DefaultIfEmpty(-1).Max()) + 1;
        _tokens = new string[size];
        Array.Fill(_tokens, "");
        foreach (var (token, id) in _vocab) _tokens[id] = token;
        foreach (var (token, id) in _addedIds) { _tokens[id] = token; _added.Add(id); }

        if (spmScheme is { } scheme)
        {
            string? unkToken = model.TryGetProperty("unk_token", out var ut) && ut.ValueKind == JsonValueKind.String ? ut.GetString() : null;
            int? unkId = unkToken is not null && _vocab.TryGetValue(unkToken, out var u) ? u : null;
            bool Flag(string name) => model.TryGetProperty(name, out var f) && f.ValueKind == JsonValueKind.True;
            _spm = new SentencePieceBpe(_vocab, merges.Select(m => m.Split(' ', 2)).Select(p => (p[0], p[1])), unkId, Flag("byte_fallback"), Flag("fuse_unk"), scheme);
        }
        else _bpe = BpeTokenizer.Create(new BpeOptions(_vocab) { Merges = merges, ByteLevel = true, PreTokenizer = new WholeText() });

        BosId = SpecialId(config, "bos_token", source) ?? -1;
        EosId = SpecialId(config, "eos_token", source)
            ?? throw new InvalidDataException($"{source}: {ConfigFile} names no eos_token, so generation would never stop");
        PadId = SpecialId(config, "pad_token", source) ?? EosId;

        var template = config is { } c && c.TryGetProperty("chat_template", out var ct) && ct.ValueKind == JsonValueKind.String ? ct.GetString() : null;
        var bos = BosId >= 0 ? _tokens[BosId] : null;
        try { Chat = ChatTemplate.Recognise(template, bos, declaredChat); }
        catch (InvalidDataException ex) { ChatUnavailableReason = ex.Message; }
    }

    /// <summary>Token ids of <paramref name="text"/> (added tokens recognised; no BOS or EOS added).</summary>
    public int[] Encode(string text)
    {
        var ids = new List<int>();
        int at = 0;
        if (_addedSplit is not null)
            foreach (Match m in _addedSplit.Matches(text))
            {
                EncodeStretch(text[at..m.Index], at == 0, ids);
                ids.Add(_addedIds[m.Value]);
                at = m.Index + m.Length;
            }
        EncodeStretch(text[at..], at == 0, ids);
        return [.. ids];
    }

    void EncodeStretch(string text, bool first, List<int> ids)
    {
        if (_spm is not null) _spm.Encode(text, first, ids);
        else EncodeOrdinary(text, ids);
    }

    void EncodeOrdinary(string text, List<int> ids)
    {
        if (text.Length == 0) return;
        if (_nfc) text = text.Normalize(NormalizationForm.FormC);
        int at = 0;
        foreach (Match m in _words.Matches(text))
        {
            if (m.Index > at) EncodeWord(text[at..m.Index], ids);   // "Isolated": text between matches is a word too
            if (m.Length > 0) EncodeWord(m.Value, ids);
            at = m.Index + m.Length;
        }
        if (at < text.Length) EncodeWord(text[at..], ids);
    }

    void EncodeWord(string word, List<int> ids)
    {
        if (_ignoreMerges && _vocab.TryGetValue(ByteLevel.Encode(word), out var whole)) { ids.Add(whole); return; }
        ids.AddRange(_bpe!.EncodeToIds(word, considerPreTokenization: true, considerNormalization: false));
    }

    /// <summary>Text of <paramref name="ids"/>, added tokens written out; invalid UTF-8 becomes U+FFFD, as in Hugging Face.</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var text = new StringBuilder();
        var bytes = new List<byte>();
        if (_spm is not null)
        {
            foreach (var id in ids)
            {
                if (id < 0 || id >= _tokens.Length) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the vocabulary (0..{_tokens.Length - 1})");
                if (_added.Contains(id)) { SentencePieceBpe.Flush(text, bytes); text.Append(_tokens[id]); }
                else SentencePieceBpe.Decode([_tokens[id]], text, bytes);
            }
            SentencePieceBpe.Flush(text, bytes);
            // the decoder's Strip (or Metaspace): the leading space the "▁" prefix became
            return _spm.Scheme != SentencePieceBpe.Prepend.Never && text.Length > 0 && text[0] == ' ' ? text.ToString(1, text.Length - 1) : text.ToString();
        }
        void Flush() { text.Append(Encoding.UTF8.GetString(bytes.ToArray())); bytes.Clear(); }
        foreach (var id in ids)
        {
            if (id < 0 || id >= _tokens.Length) throw new ArgumentOutOfRangeException(nameof(ids), $"token id {id} is outside the vocabulary (0..{_tokens.Length - 1})");
            if (_added.Contains(id)) { Flush(); text.Append(_tokens[id]); }
            else if (!ByteLevel.TryAppendBytes(_tokens[id], bytes)) { Flush(); text.Append(_tokens[id]); }
        }
        Flush();
        return text.ToString();
    }

    /// <summary>The id of an added or vocabulary token, e.g. "&lt;|eot_id|&gt;"; a clear error when the tokenizer lacks it.</summary>
    public int TokenId(string token) =>
        _addedIds.TryGetValue(token, out var id) || _vocab.TryGetValue(token, out id) ? id
            : throw new KeyNotFoundException($"the tokenizer has no token '{token}'");

    int? SpecialId(JsonElement? config, string key, string source)
    {
        if (config is not { } c || !c.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
        var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetProperty("content").GetString()!;
        return _addedIds.TryGetValue(text, out var id) || _vocab.TryGetValue(text, out id) ? id
            : throw new InvalidDataException($"{source}: {ConfigFile}'s {key} '{text}' is not a token of tokenizer.json");
    }

    /// <summary>
    /// The SentencePiece-style prefix scheme when the file is of that kind, else null: the legacy normaliser
    /// Sequence[Prepend("▁"), Replace(" " → "▁")] with no pre-tokenizer (Llama 2's tokenizer.json: "▁" before every stretch
    /// between added tokens), or a Metaspace pre-tokenizer (replacement "▁"; prepend_scheme always / first / never, or the
    /// older add_prefix_space) with no normaliser.
    /// </summary>
    static SentencePieceBpe.Prepend? SentencePieceScheme(JsonElement root, string source)
    {
        var normalizer = root.TryGetProperty("normalizer", out var n) && n.ValueKind != JsonValueKind.Null ? n : (JsonElement?)null;
        var pre = root.TryGetProperty("pre_tokenizer", out var p) && p.ValueKind != JsonValueKind.Null ? p : (JsonElement?)null;
        if (pre is { } metaspace && metaspace.GetProperty("type").GetString() == "Metaspace")
        {
            if (normalizer is not null) throw new InvalidDataException($"{source}: a normalizer before a Metaspace pre-tokenizer is not supported");
            if (metaspace.TryGetProperty("replacement", out var r) && r.GetString() != "▁") throw new InvalidDataException($"{source}: Metaspace replacement '{r.GetString()}' is not supported (▁)");
            if (metaspace.TryGetProperty("split", out var split) && split.ValueKind == JsonValueKind.True) throw new InvalidDataException($"{source}: Metaspace with split is not supported (SentencePiece BPE does not split on spaces)");
            var scheme = metaspace.TryGetProperty("prepend_scheme", out var ps) ? ps.GetString()
                : metaspace.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.False ? "never" : "always";
            return scheme switch
            {
                "always" => SentencePieceBpe.Prepend.Always, "first" => SentencePieceBpe.Prepend.First, "never" => SentencePieceBpe.Prepend.Never,
                _ => throw new InvalidDataException($"{source}: Metaspace prepend_scheme '{scheme}' is not supported"),
            };
        }
        if (normalizer is not { } seq || seq.GetProperty("type").GetString() != "Sequence") return null;
        var steps = seq.GetProperty("normalizers").EnumerateArray().ToArray();
        bool IsPrepend(JsonElement e) => e.GetProperty("type").GetString() == "Prepend" && e.GetProperty("prepend").GetString() == "▁";
        bool IsReplace(JsonElement e) => e.GetProperty("type").GetString() == "Replace" && e.GetProperty("pattern").TryGetProperty("String", out var sp) && sp.GetString() == " " && e.GetProperty("content").GetString() == "▁";
        if (!steps.Any(IsPrepend) && !steps.Any(IsReplace)) return null;
        if (steps.Length != 2 || !IsPrepend(steps[0]) || !IsReplace(steps[1]))
            throw new InvalidDataException($"{source}: a SentencePiece-style normalizer other than Sequence[Prepend(▁), Replace(' ' → ▁)] is not supported");
        if (pre is not null) throw new InvalidDataException($"{source}: a pre-tokenizer after SentencePiece's normalizer is not supported");
        return SentencePieceBpe.Prepend.Always;
    }

    static bool ReadNormalizer(JsonElement root, string source)
    {
        if (!root.TryGetProperty("normalizer", out var n) || n.ValueKind == JsonValueKind.Null) return false;
        var type = n.GetProperty("type").GetString();
        return type == "NFC" ? true : throw new InvalidDataException($"{source}: normalizer '{type}' is not supported (none or NFC)");
    }

    /// <summary>The word regex: Sequence[Split(Regex, Isolated), ByteLevel(no regex)] (Llama 3, Qwen2) or ByteLevel with its own (GPT-2).</summary>
    static string ReadWordPattern(JsonElement root, string source)
    {
        var pre = root.GetProperty("pre_tokenizer");
        var steps = pre.GetProperty("type").GetString() == "Sequence" ? pre.GetProperty("pretokenizers").EnumerateArray().ToArray() : [pre];
        string? pattern = null;
        bool byteLevel = false;
        foreach (var step in steps)
        {
            var type = step.GetProperty("type").GetString();
            if (type == "Split" && pattern is null && !byteLevel
                && step.GetProperty("pattern").TryGetProperty("Regex", out var rx)
                && step.GetProperty("behavior").GetString() == "Isolated"
                && !(step.TryGetProperty("invert", out var inv) && inv.ValueKind == JsonValueKind.True))
                pattern = rx.GetString();
            else if (type == "ByteLevel" && !byteLevel)
            {
                if (step.TryGetProperty("add_prefix_space", out var aps) && aps.ValueKind == JsonValueKind.True)
                    throw new InvalidDataException($"{source}: ByteLevel with add_prefix_space is not supported");
                bool ownRegex = !step.TryGetProperty("use_regex", out var ur) || ur.ValueKind == JsonValueKind.True;
                if (ownRegex) pattern = pattern is null ? Gpt2Pattern : throw new InvalidDataException($"{source}: a Split and ByteLevel's own regex together are not supported");
                byteLevel = true;
            }
            else throw new InvalidDataException($"{source}: pre-tokenizer step '{type}' is not supported (a regex Split, then ByteLevel)");
        }
        if (!byteLevel || pattern is null) throw new InvalidDataException($"{source}: the pre-tokenizer is not byte-level");
        return pattern;
    }

    /// <summary>Hands the BPE one word whole: the words are cut by the caller, where added tokens and ignore_merges are handled.</summary>
    sealed class WholeText : PreTokenizer
    {
        public override IEnumerable<(int Offset, int Length)> PreTokenize(string text) => [(0, text.Length)];
        public override IEnumerable<(int Offset, int Length)> PreTokenize(ReadOnlySpan<char> text) => [(0, text.Length)];
    }
}
