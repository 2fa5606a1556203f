// Llama2cTokenizer on Karpathy's tok512.bin: run.c's decode rules, byte tokens, BPE merges and run's printed text.
using System.Text;
using WebLab.Training.Tokenizers;
using Xunit;

namespace WebLab.Training.Tests.Tokenizers;

public sealed class Llama2cTokenizerTests
{
    // tok512.bin ids used below: 1 "\n<s>\n", 2 "\n</s>\n", 3..258 "<0x00>".."<0xFF>", 259 " t", 260 "he",
    // 265 " the", 291 " The", 410 " ", 507 "™"
    static readonly Llama2cTokenizer Tok = Llama2cTokenizer.Load(Fixtures.Path("stories260k/tok512.bin"), vocabSize: 512);

    static string Utf8(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Reads_the_vocabulary_of_tok512()
    {
        Assert.Equal(512, Tok.VocabSize);
        Assert.Equal(7, Tok.MaxTokenLength);
        Assert.Equal("\n<s>\n", Utf8(Tok.Piece(1)));
        Assert.Equal(" the", Utf8(Tok.Piece(265)));
        Assert.Equal(-6f, Tok.Score(265));
        Assert.Equal((1, 2, 0), (Tok.BosId, Tok.EosId, Tok.PadId));
    }

    [Fact]
    public void Piece_after_bos_loses_its_leading_space()
    {
        Assert.Equal("The", Utf8(Tok.DecodePiece(1, 291)));
        Assert.Equal(" The", Utf8(Tok.DecodePiece(265, 291)));
        Assert.Equal("he", Utf8(Tok.DecodePiece(1, 260)));   // no space to strip
    }

    [Fact]
    public void Byte_tokens_decode_to_their_raw_byte()
    {
        Assert.Equal(new byte[] { 0x41 }, Tok.DecodePiece(5, 3 + 0x41));   // <0x41> → 'A'
        Assert.Equal(new byte[] { 0xFF }, Tok.DecodePiece(5, 258));        // <0xFF>
        Assert.Empty(Tok.DecodePiece(5, 3));                               // <0x00>: run.c's empty C string
    }

    [Fact]
    public void Decode_joins_bytes_before_reading_utf8()
    {
        // "é" = C3 A9: two byte tokens that are not UTF-8 on their own
        Assert.Equal("é", Tok.Decode([3 + 0xC3, 3 + 0xA9]));
        // BOS is skipped but still strips the space of " The"; "™" is a multi-byte piece
        Assert.Equal("The the™", Tok.Decode([1, 291, 265, 507, 2]));
    }

    [Fact]
    public void Encode_merges_the_best_scoring_pair_first()
    {
        // " " + t h e → " t" (score 0) → "he" (-1) → " the" (-6)
        Assert.Equal(new[] { 265 }, Tok.Encode("the"));
        Assert.Equal(new[] { 1, 265 }, Tok.Encode("the", bos: true));
        Assert.Equal(new[] { 1, 265, 2 }, Tok.Encode("the", bos: true, eos: true));
        Assert.Empty(Tok.Encode(""));   // no dummy prefix for empty text
    }

    [Fact]
    public void Characters_outside_the_vocabulary_fall_back_to_bytes_plus_three()
    {
        // "\n" is not a piece: byte 0x0A → id 13; "ø" (not a piece) → C3 B8 → ids 198, 187; "é" is piece 485
        var ids = Tok.Encode("\nøé");
        Assert.Equal(new[] { 410, 13, 198, 187, 485 }, ids);
        Assert.Equal("\nøé", Tok.Decode(ids));
    }

    [Theory]
    [InlineData("Once upon a time, there was a little girl named Lily.")]
    [InlineData("She said, \"I want to play with your ball!\"\nThe end.")]
    [InlineData(" leading space, naïve café ™ 😀")]
    public void Encode_then_decode_gives_the_text_back(string text)
    {
        var ids = Tok.Encode(text, bos: true);

        Assert.Equal(1, ids[0]);
        Assert.All(ids, id => Assert.InRange(id, 1, 511));
        Assert.Equal(text, Tok.Decode(ids));
    }

    [Fact]
    public void Render_like_run_c_prints_until_bos_and_skips_unprintable_single_bytes()
    {
        // BOS, " The" (space stripped), <0x01> (control byte: dropped), <0x0A> (whitespace: kept),
        // EOS (printed as its piece "\n</s>\n"), BOS (stop), " the" (never reached)
        Assert.Equal("The\n\n</s>\n", Tok.RenderLikeRunC([1, 291, 3 + 0x01, 3 + 0x0A, 2, 1, 265]));
        // high bytes are not isprint in the C locale: run.c drops split UTF-8 characters
        Assert.Equal("The", Tok.RenderLikeRunC([1, 291, 3 + 0xC3, 3 + 0xA9]));
    }

    [Fact]
    public void Render_like_run_c_reproduces_the_golden_text_from_its_own_tokens()
    {
        // Not the model's tokens (that is the model's golden test), but it checks the printing rules against
        // the reference file: dummy-prefix space stripped after BOS, newlines as byte tokens, no trailing "\n".
        var golden = File.ReadAllText(Fixtures.Path("stories260k/expected_greedy_t0_n200.txt"));

        var ids = Tok.Encode(golden, bos: true);

        Assert.Equal(golden, Tok.RenderLikeRunC(ids));
    }
}
