// The policy contract on its first implementation, the Llama decoder: the inputs_embeds path gives the logits of the ids,
// media embeddings land on their placeholder runs, a text-only policy refuses media, and ModelFamilies loads what a
// policy saved.
using TorchSharp;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.Modules;
using WebLab.Training.Tests.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models;

public class PolicyTests
{
    static Tensor Positions(long b, long t) => arange(t, ScalarType.Int64).unsqueeze(0).expand(b, -1);

    [Fact]
    public void Embeddings_of_the_token_ids_give_the_logits_of_the_ids()
    {
        using var model = TinyModels.Random(seed: 5);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = randint(0, 40, [2, 9], ScalarType.Int64);
        var fromIds = model.Forward(tokens, Positions(2, 9), null, null);
        var fromEmbeddings = model.ForwardEmbeddings(model.Embed(tokens), Positions(2, 9), null, null);
        Assert.Equal(fromIds.data<float>().ToArray(), fromEmbeddings.data<float>().ToArray());

        // and through the KV cache: prefill 4 embeddings, then one at a time
        using var cache = model.NewCache(2, 9);
        var parts = new List<Tensor> { model.ForwardEmbeddings(model.Embed(tokens[.., ..4]), Positions(2, 4), cache, null) };
        for (int t = 4; t < 9; t++)
            parts.Add(model.ForwardEmbeddings(model.Embed(tokens[.., t..(t + 1)]), Positions(2, 9)[.., t..(t + 1)], cache, null));
        Assert.True((cat(parts, 1) - fromIds).abs().max().item<float>() <= 1e-4f);
    }

    [Fact]
    public void Media_embeddings_replace_their_placeholder_run()
    {
        using var model = TinyModels.Random(seed: 6);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = randint(1, 40, [2, 8], ScalarType.Int64);
        // row 1, columns 2..4 become placeholders (id 0); row 0, column 6 a one-token medium
        var placeholders = tokens.clone();
        placeholders[1, 2..5] = tensor(0L);
        placeholders[0, 6..7] = tensor(0L);
        var slots = new[] { new MediaSlot(1, 2, new PromptMedia(PromptMedia.Image, "a.png", 2, 3)), new MediaSlot(0, 6, new PromptMedia(PromptMedia.Image, "b.png", 6, 1)) };
        // the "encoder" hands back the embeddings of the ids the placeholders hide: the logits must be the original ones
        var original = model.Embed(tokens);                                                   // [2, 8, d]
        var inserted = MediaEmbeddings.Insert(model.Embed(placeholders), slots, [original[1, 2..5], original[0, 6..7]]);
        var expected = model.Forward(tokens, Positions(2, 8), null, null);
        Assert.Equal(expected.data<float>().ToArray(), model.ForwardEmbeddings(inserted, Positions(2, 8), null, null).data<float>().ToArray());
        // control: the placeholders alone give other logits
        Assert.NotEqual(expected.data<float>().ToArray(), model.Forward(placeholders, Positions(2, 8), null, null).data<float>().ToArray());
    }

    [Fact]
    public void Media_runs_must_fit_their_embeddings_and_not_overlap()
    {
        using var scope = NewDisposeScope();
        var embeds = zeros(1, 6, 4);
        var image = new PromptMedia(PromptMedia.Image, "a.png", 1, 3);
        Assert.Contains("needs [3, 4]", Assert.Throws<ArgumentException>(() => MediaEmbeddings.Insert(embeds, [new(0, 1, image)], [zeros(2, 4)])).Message);
        Assert.Contains("outside", Assert.Throws<ArgumentException>(() => MediaEmbeddings.Insert(embeds, [new(0, 4, image)], [zeros(3, 4)])).Message);
        Assert.Contains("overlap", Assert.Throws<ArgumentException>(() =>
            MediaEmbeddings.Insert(embeds, [new(0, 0, image), new(0, 2, image)], [zeros(3, 4), zeros(3, 4)])).Message);
    }

    [Fact]
    public void A_text_only_policy_refuses_media()
    {
        using IPolicy policy = TinyModels.Random();
        using var scope = NewDisposeScope();
        var media = new[] { new MediaSlot(0, 1, new PromptMedia(PromptMedia.Image, "a.png", 1, 2)) };
        var e = Assert.Throws<NotSupportedException>(() => policy.Forward(zeros([1, 4], ScalarType.Int64), Positions(1, 4), null, null, media));
        Assert.Contains("text only", e.Message);
    }

    [Fact]
    public void Model_families_load_what_a_policy_saved()
    {
        using var dir = new TempFolder("weblab-policy-");
        using IPolicy saved = TinyModels.Random(seed: 8);
        saved.Save(dir.Path);
        Assert.Equal("llama", ModelFamilies.ModelType(dir.Path));
        using var loaded = ModelFamilies.Load(dir.Path);
        Assert.Equal("llama", loaded.Family);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var tokens = tensor(new long[] { 1, 7, 3, 9 }).reshape(1, 4);
        Assert.Equal(saved.Forward(tokens, Positions(1, 4), null, null).data<float>().ToArray(),
            loaded.Forward(tokens, Positions(1, 4), null, null).data<float>().ToArray());
    }
}
