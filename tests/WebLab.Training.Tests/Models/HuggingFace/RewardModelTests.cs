// Reward models in the Skywork-Reward-V2 layout (Llama / Qwen2 ForSequenceClassification, one output), made here at
// random with the fixtures' real chat templates: a pair's score does not depend on its batch or padding, the chat
// template decides the tokens, and a causal LM folder is refused.
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using Xunit;

namespace WebLab.Training.Tests.Models.HuggingFace;

public sealed class RewardModelTests : IDisposable
{
    readonly TempFolder _root = new("weblab-rm-");
    public void Dispose() => _root.Dispose();

    static string Template(string family) => Fixtures.ChatTemplate(family == "llama" ? "llama3" : "qwen2_5");

    string Folder(string family, string dtype = "float32", long? shard = null)
    {
        var dir = Path.Combine(_root.Path, $"{family}-{dtype}-{shard}");
        TinyHfFolders.Write(dir, new TinyHfSpec { Family = family, RewardModel = true, Dtype = dtype, MaxShardBytes = shard, ChatTemplate = Template(family) });
        return dir;
    }

    static readonly (string, string)[] Pairs =
    [
        ("Write the word the.", "the"),
        ("What is the capital of France? Answer in one word, then explain at length why.", "Paris. It has been the capital since the tenth century, with short breaks."),
        ("Hi", ""),
    ];

    [Theory]
    [InlineData("llama", "float32", null)]
    [InlineData("qwen2", "bfloat16", 20_000L)]
    public void Scores_do_not_depend_on_the_batch_or_its_padding(string family, string dtype, long? shard)
    {
        var dir = Folder(family, dtype, shard);
        using var batched = RewardModel.Load(dir, batchSize: 3);
        using var alone = RewardModel.Load(dir, batchSize: 1);
        var together = batched.Score(Pairs);
        var one = alone.Score(Pairs);
        Assert.Equal(3, together.Length);
        for (int i = 0; i < 3; i++) Assert.Equal(one[i], together[i], 4);
        Assert.True(together.Distinct().Count() == 3, $"random scores should differ: {string.Join(", ", together)}");
        Assert.Equal(together, batched.Score(Pairs.Reverse().ToArray()).Reverse().ToArray(), new FloatClose());
    }

    [Fact]
    public void Pairs_are_read_through_the_chat_template()
    {
        using var llama = RewardModel.Load(Folder("llama"));
        var ids = llama.Tokens("Hi", "the");
        Assert.Equal(llama.Config.BosTokenId, ids[0]);                              // <|begin_of_text|> from the template
        Assert.Equal(2, ids.Count(id => id == 259 + 4));                            // <|eot_id|> after user and assistant
        using var qwen = RewardModel.Load(Folder("qwen2"));
        Assert.Equal(3, qwen.Tokens("Hi", "the").Count(id => id == 259 + 1));       // <|im_start|>: default system, user, assistant
    }

    [Fact]
    public void A_causal_lm_folder_is_not_a_reward_model()
    {
        var dir = Path.Combine(_root.Path, "causal");
        TinyHfFolders.Write(dir, new TinyHfSpec());
        Assert.Contains("is not a reward model", Assert.Throws<InvalidDataException>(() => RewardModel.Load(dir)).Message);
    }

    sealed class FloatClose : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) < 1e-4;
        public int GetHashCode(float f) => 0;
    }
}
