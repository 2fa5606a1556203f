// Prompts with media through generation and log-probs: each medium reaches the policy at its placeholder run, shifted by
// the row's left padding in generation and in place in packed rows. The test policy's "encoder" hands back the
// embeddings of the token ids its medium names, so a prompt with media must act exactly as the prompt with those ids.
using TorchSharp;
using TorchSharp.Modules;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.Modules;
using WebLab.Training.Tests.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Generation;

public class MediaPromptTests
{
    /// <summary>A Llama with a stand-in encoder: a medium whose source is "ids:5,9" embeds as the tokens 5 and 9.</summary>
    sealed class IdEncoderPolicy(LlamaForCausalLM inner) : IPolicy
    {
        public int MediaForwards { get; private set; }
        public string Family => "test-encoder";
        public Device Device => inner.Device;
        public int MaxPositions => inner.MaxPositions;
        public bool training => inner.training;
        public Tensor Forward(Tensor tokens, Tensor positions, KvCache? cache, Tensor? mask, IReadOnlyList<MediaSlot>? media = null)
        {
            var embeds = inner.Embed(tokens);
            if (media is { Count: > 0 })
            {
                MediaForwards++;
                var values = media.Select(s => inner.Embed(tensor(s.Media.Source["ids:".Length..].Split(',').Select(long.Parse).ToArray()))).ToList();
                embeds = MediaEmbeddings.Insert(embeds, media, values);
            }
            return inner.ForwardEmbeddings(embeds, positions, cache, mask);
        }
        public KvCache NewCache(long batch, int capacity) => inner.NewCache(batch, capacity);
        public IEnumerable<Parameter> parameters(bool recurse = true) => inner.parameters(recurse);
        public void train(bool on = true) => inner.train(on);
        public void eval() => inner.eval();
        public void Save(string dir) => inner.Save(dir);
        public void Dispose() => inner.Dispose();
    }

    const int Placeholder = 0;

    /// <summary>Row 0 hides ids 7 and 3 behind an image at columns 3–4; row 1 (shorter: left-padded in generation) hides 8 at column 1.</summary>
    static readonly Prompt[] WithMedia =
    [
        new([1, 5, 9, Placeholder, Placeholder, 6], [new PromptMedia(PromptMedia.Image, "ids:7,3", 3, 2)]),
        new([1, Placeholder, 2], [new PromptMedia(PromptMedia.Image, "ids:8", 1, 1)]),
    ];
    static readonly int[][] AsText = [[1, 5, 9, 7, 3, 6], [1, 8, 2]];

    [Fact]
    public void Generation_puts_each_medium_after_its_rows_padding()
    {
        using var policy = new IdEncoderPolicy(TinyModels.Random(seed: 12));
        var options = new GenerationOptions { MaxNewTokens = 10, Temperature = 0 };
        var withMedia = BatchGenerator.Generate(policy, WithMedia, options, padId: 0);
        Assert.Equal(1, policy.MediaForwards);                                   // the prefill; decoding steps carry no media
        Assert.Equal(BatchGenerator.Generate(policy, AsText, options, padId: 0).Completions, withMedia.Completions);
        // control: the placeholders read as text give other answers
        var blind = BatchGenerator.Generate(policy, WithMedia.Select(p => p.Tokens).ToArray(), options, padId: 0);
        Assert.NotEqual(withMedia.Completions, blind.Completions);
    }

    [Fact]
    public void Log_probs_read_each_medium_in_place()
    {
        using var policy = new IdEncoderPolicy(TinyModels.Random(seed: 13));
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        int[][] completions = [[4, 4, 2], [9]];
        using var withMedia = SequenceLogProbs.Pack(WithMedia, completions, 0, CPU);
        Assert.Equal([(0, 3), (1, 1)], withMedia.Media!.Select(m => (m.Row, m.Column)));
        using var asText = SequenceLogProbs.Pack(AsText, completions, 0, CPU);
        Assert.Null(asText.Media);
        var a = SequenceLogProbs.Compute(policy, withMedia).SequenceLogProbs().data<float>().ToArray();
        var b = SequenceLogProbs.Compute(policy, asText).SequenceLogProbs().data<float>().ToArray();
        Assert.Equal(b, a);
    }

    [Fact]
    public void A_media_run_must_lie_inside_its_prompt()
    {
        var e = Assert.Throws<ArgumentException>(() => new Prompt([1, 0], [new PromptMedia(PromptMedia.Image, "x.png", 1, 2)]));
        Assert.Contains("outside the prompt's 2 tokens", e.Message);
        Assert.Equal([new MediaSlot(4, 6, WithMedia[1].Media[0])], WithMedia[1].SlotsAt(4, 5));
    }
}
