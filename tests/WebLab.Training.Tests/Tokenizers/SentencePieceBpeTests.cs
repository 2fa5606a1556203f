// SentencePiece-style tokenizer.json (Llama 2's layout: byte_fallback BPE, "▁" for spaces), worked by hand on a tiny
// vocabulary: merges by rank, byte fallback for a character the vocabulary lacks, <unk> fused, both prefix schemes
// (the legacy Prepend normaliser: "▁" before every stretch between added tokens; Metaspace "first": the text's start
// only), and decoding back. llama.cpp's Llama 2 vectors and a real Llama 2 tokenizer.json are not among the fixtures.
using System.Text.Json.Nodes;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Tests.Tokenizers;

public sealed class SentencePieceBpeTests
{
    // <unk> 0, <s> 1, </s> 2, <0x00>..<0xFF> 3..258, then ▁ t h e ▁t he ▁the a ▁a (259..267)
    static string Json(bool legacy = true, bool byteFallback = true, string scheme = "first")
    {
        var vocab = new JsonObject { ["<unk>"] = 0, ["<s>"] = 1, ["</s>"] = 2 };
        for (int b = 0; b < 256; b++) if (byteFallback) vocab[$"<0x{b:X2}>"] = 3 + b;
        int id = 259;
        foreach (var t in new[] { "▁", "t", "h", "e", "▁t", "he", "▁the", "a", "▁a" }) vocab[t] = id++;
        var added = new JsonArray(new[] { ("<unk>", 0), ("<s>", 1), ("</s>", 2) }.Select(a => (JsonNode)new JsonObject
        {
            ["id"] = a.Item2, ["content"] = a.Item1, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
        }).ToArray());
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = added,
            ["normalizer"] = legacy ? new JsonObject
            {
                ["type"] = "Sequence",
                ["normalizers"] = new JsonArray(new JsonObject { ["type"] = "Prepend", ["prepend"] = "▁" },
                    new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = " " }, ["content"] = "▁" }),
            } : null,
            ["pre_tokenizer"] = legacy ? null : new JsonObject { ["type"] = "Metaspace", ["replacement"] = "▁", ["prepend_scheme"] = scheme, ["split"] = false },
            ["decoder"] = new JsonObject { ["type"] = "Sequence", ["decoders"] = new JsonArray(
                new JsonObject { ["type"] = "Replace", ["pattern"] = new JsonObject { ["String"] = "▁" }, ["content"] = " " },
                new JsonObject { ["type"] = "ByteFallback" }, new JsonObject { ["type"] = "Fuse" },
                new JsonObject { ["type"] = "Strip", ["content"] = " ", ["start"] = 1, ["stop"] = 0 }) },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["unk_token"] = "<unk>", ["fuse_unk"] = true, ["byte_fallback"] = byteFallback, ["vocab"] = vocab,
                ["merges"] = new JsonArray("▁ t", "h e", "▁t he", "▁ a"),
            },
        };
        return json.ToJsonString();
    }

    static HfTokenizer Tokenizer(bool legacy = true, bool byteFallback = true, string scheme = "first") =>
        HfTokenizer.FromJson(Json(legacy, byteFallback, scheme), """{"bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"}""");

    [Fact]
    public void Merges_apply_lowest_rank_first_and_spaces_become_the_metaspace()
    {
        var tok = Tokenizer();
        // "▁the": (▁,t) rank 0 → ▁t h e; (h,e) rank 1 → ▁t he; (▁t,he) rank 2 → ▁the
        Assert.Equal([265], tok.Encode("the"));
        // "▁the▁a": ▁t first (rank 0), then he, then ▁the (2) before ▁a (3)
        Assert.Equal([265, 267], tok.Encode("the a"));
        Assert.Equal("the a", tok.Decode([265, 267]));
        Assert.Equal((1, 2), (tok.BosId, tok.EosId));
    }

    [Fact]
    public void A_missing_character_falls_back_to_its_utf8_bytes_and_decodes_back()
    {
        var tok = Tokenizer();
        // "▁hé": no merge applies; é = C3 A9 → <0xC3> = 3 + 195 = 198, <0xA9> = 3 + 169 = 172
        Assert.Equal([259, 261, 198, 172], tok.Encode("hé"));
        Assert.Equal("hé", tok.Decode([259, 261, 198, 172]));
        Assert.Equal("the aé", tok.Decode([265, 267, 198, 172]));
        Assert.Equal("�", tok.Decode([198]));                                         // a lone lead byte: U+FFFD, as HF
    }

    [Fact]
    public void Without_byte_fallback_unknown_characters_are_one_fused_unk()
    {
        var tok = Tokenizer(byteFallback: false);
        Assert.Equal([259, 0], tok.Encode("éé"));                                      // ▁, then é é: two unknowns, one <unk>
        Assert.Equal([259, 0, 267], tok.Encode("é a"));                                // ▁ é ▁a
    }

    [Fact]
    public void The_prefix_goes_before_every_stretch_in_the_legacy_normaliser_and_only_the_first_with_metaspace_first()
    {
        Assert.Equal([1, 265], Tokenizer(legacy: true).Encode("<s>the"));                 // "▁the" after <s> too
        Assert.Equal([1, 260, 264], Tokenizer(legacy: false).Encode("<s>the"));            // "the" → t he: no prefix after <s>
        Assert.Equal([265, 1, 260, 264], Tokenizer(legacy: false).Encode("the<s>the"));
        Assert.Equal([1, 265], Tokenizer(legacy: false, scheme: "always").Encode("<s>the"));
        Assert.Equal([260, 264], Tokenizer(legacy: false, scheme: "never").Encode("the"));
        Assert.Equal("<s>the", Tokenizer(legacy: false).Decode([1, 260, 264]));
    }

    [Fact]
    public void Other_sentencepiece_layouts_are_refused_by_name()
    {
        var split = Json(legacy: false).Replace("\"split\":false", "\"split\":true");
        Assert.Contains("split", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson(split, """{"eos_token": "</s>"}""")).Message);
        var unknownScheme = Json(legacy: false, scheme: "sometimes");
        Assert.Contains("prepend_scheme 'sometimes'", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson(unknownScheme, """{"eos_token": "</s>"}""")).Message);
    }
}
