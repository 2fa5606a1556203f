// HfTokenizer on the real Llama 3 and Qwen2.5 tokenizer.json files: llama.cpp's 46 expected encodings of each (made by
// Hugging Face's tokenizers library), added tokens, the special ids of tokenizer_config.json, and refusals by name.
using System.Text.Json.Nodes;
using WebLab.Training.Tokenizers;
using Xunit;

namespace WebLab.Training.Tests.Tokenizers;

public sealed class HfTokenizerTests
{
    static readonly Lazy<HfTokenizer> Llama3 = new(() => HfTokenizer.FromFolder(Fixtures.Path("tokenizers/llama3")));
    static readonly Lazy<HfTokenizer> Qwen = new(() => HfTokenizer.FromFolder(Fixtures.Path("tokenizers/qwen2_5")));

    /// <summary>The .inp strings and .out ids of one llama.cpp vector file (46 cases; no BOS or EOS in the ids).</summary>
    static (string Text, int[] Ids)[] Vectors(string name)
    {
        var inputs = File.ReadAllText(Fixtures.Path($"tokenizer-vectors/{name}.inp")).Split("\n__ggml_vocab_test__\n");
        var outputs = File.ReadAllLines(Fixtures.Path($"tokenizer-vectors/{name}.out"));
        Assert.Equal(46, outputs.Length);
        return outputs.Select((line, i) => (inputs[i], line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToArray())).ToArray();
    }

    [Theory]
    [InlineData("llama3", "ggml-vocab-llama-bpe.gguf")]
    [InlineData("qwen2_5", "ggml-vocab-qwen2.gguf")]
    public void Encodes_every_llama_cpp_vector_as_the_tokenizers_library_does(string tokenizer, string vectors)
    {
        var tok = tokenizer == "llama3" ? Llama3.Value : Qwen.Value;
        var wrong = Vectors(vectors).Where(v => !tok.Encode(v.Text).SequenceEqual(v.Ids))
            .Select(v => $"{System.Text.Json.JsonSerializer.Serialize(v.Text)}: got [{string.Join(' ', tok.Encode(v.Text))}], want [{string.Join(' ', v.Ids)}]").ToArray();
        Assert.True(wrong.Length == 0, string.Join("\n", wrong));
    }

    [Theory]
    [InlineData("llama3", "ggml-vocab-llama-bpe.gguf")]
    [InlineData("qwen2_5", "ggml-vocab-qwen2.gguf")]
    public void Decodes_the_expected_ids_back_to_the_text(string tokenizer, string vectors)
    {
        var tok = tokenizer == "llama3" ? Llama3.Value : Qwen.Value;
        foreach (var (text, ids) in Vectors(vectors))
            Assert.Equal(tokenizer == "qwen2_5" ? text.Normalize(System.Text.NormalizationForm.FormC) : text, tok.Decode(ids));
    }

    [Fact]
    public void Llama3_takes_a_word_the_vocabulary_holds_whole_without_merging()
    {
        // " Việt" is token 101798, but BPE merges alone stop at [11655, 26298, 83]: ignore_merges decides
        Assert.Equal([34, 91163, 101798], Llama3.Value.Encode("Cửa Việt"));
    }

    [Fact]
    public void Added_tokens_split_the_text_and_keep_their_ids()
    {
        var q = Qwen.Value;
        Assert.Equal([151644, 872, 198, 6023, 151645], q.Encode("<|im_start|>user\nhi<|im_end|>"));
        Assert.Equal("<|im_start|>user\nhi<|im_end|>", q.Decode([151644, 872, 198, 6023, 151645]));
        Assert.Equal(128009, Llama3.Value.TokenId("<|eot_id|>"));
        Assert.Throws<KeyNotFoundException>(() => Llama3.Value.TokenId("<|im_end|>"));
    }

    [Fact]
    public void Special_ids_come_from_tokenizer_config()
    {
        var l = Llama3.Value;
        Assert.Equal((128000, 128001, 128001, 128256), (l.BosId, l.EosId, l.PadId, l.VocabSize));
        var q = Qwen.Value;
        Assert.Equal(-1, q.BosId);                      // Qwen has no BOS
        Assert.Equal(151645, q.EosId);                  // <|im_end|>
        Assert.Equal(151643, q.PadId);                  // <|endoftext|>
        Assert.Equal(151665, q.VocabSize);
    }

    [Fact]
    public void Refuses_what_it_cannot_reproduce_by_name()
    {
        var json = JsonNode.Parse(File.ReadAllText(Fixtures.Path("tokenizers/qwen2_5/tokenizer.json")))!;
        const string config = """{"eos_token": "<|im_end|>"}""";

        var unigram = json.DeepClone(); unigram["model"]!["type"] = "Unigram";
        Assert.Contains("model type 'Unigram'", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson(unigram.ToJsonString(), config)).Message);

        var nfkc = json.DeepClone(); nfkc["normalizer"] = new JsonObject { ["type"] = "NFKC" };
        Assert.Contains("normalizer 'NFKC'", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson(nfkc.ToJsonString(), config)).Message);

        var metaspace = json.DeepClone(); metaspace["pre_tokenizer"] = new JsonObject { ["type"] = "Metaspace" };
        Assert.Contains("before a Metaspace pre-tokenizer", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson(metaspace.ToJsonString(), config)).Message);

        Assert.Contains("no eos_token", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson(json.ToJsonString(), "{}")).Message);
        Assert.Contains("'<|nope|>' is not a token", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson(json.ToJsonString(), """{"eos_token": "<|nope|>"}""")).Message);
        Assert.Contains("not valid JSON", Assert.Throws<InvalidDataException>(() => HfTokenizer.FromJson("{", config)).Message);
        using var empty = new TempFolder("weblab-no-tokenizer-");
        Assert.Contains("has no tokenizer.json", Assert.Throws<FileNotFoundException>(() => HfTokenizer.FromFolder(empty.Path)).Message);
    }
}
