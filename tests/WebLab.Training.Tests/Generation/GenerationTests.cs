using TorchSharp;
using WebLab.Training.Generation;
using WebLab.Training.Tests.Models.Llama;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Generation;

public class GenerationTests
{
    static readonly int[][] Prompts = [[1, 5, 9, 7, 3], [1, 4], [1, 8, 8, 2]];

    [Fact]
    public void Seeded_sampling_is_reproducible_and_seeds_differ()
    {
        using var model = TinyModels.Random();
        var options = new GenerationOptions { MaxNewTokens = 20, Temperature = 1.0, TopP = 0.9, TopK = 20, Seed = 42 };
        var a = BatchGenerator.Generate(model, Prompts, options, padId: 0);
        var b = BatchGenerator.Generate(model, Prompts, options, padId: 0);
        var c = BatchGenerator.Generate(model, Prompts, options with { Seed = 43 }, padId: 0);
        Assert.Equal(a.Completions, b.Completions);
        Assert.NotEqual(a.Completions, c.Completions);
    }

    [Fact]
    public void Left_padded_batch_gives_each_row_its_unbatched_greedy_output()
    {
        using var model = TinyModels.Random(seed: 5);
        var options = new GenerationOptions { MaxNewTokens = 15, Temperature = 0 };
        var batched = BatchGenerator.Generate(model, Prompts, options, padId: 0);
        for (int r = 0; r < Prompts.Length; r++)
            Assert.Equal(BatchGenerator.Generate(model, [Prompts[r]], options, padId: 0).Completions[0], batched.Completions[r]);
    }

    [Fact]
    public void A_row_stops_at_its_stop_token_and_keeps_it()
    {
        using var model = TinyModels.Random(seed: 7);
        var free = BatchGenerator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 12, Temperature = 0 }, 0);
        int stop = free.Completions[0][3]; // make row 0's fourth token a stop token
        var stopped = BatchGenerator.Generate(model, Prompts, new GenerationOptions { MaxNewTokens = 12, Temperature = 0, StopTokens = [stop] }, 0);
        var first = Array.IndexOf(free.Completions[0], stop);
        Assert.Equal(free.Completions[0][..(first + 1)], stopped.Completions[0]);
        Assert.True(stopped.Stopped[0]);
        Assert.All(stopped.Completions, c => Assert.True(c.Length <= 12));
    }

    [Fact]
    public void Batched_log_probs_with_padding_equal_row_by_row()
    {
        using var model = TinyModels.Random(seed: 11);
        int[][] completions = [[4, 4, 6], [7, 1, 2, 9, 9, 3], [5]];
        var batched = SequenceLogProbs.SequenceTotals(model, Prompts, completions, padId: 0);
        for (int r = 0; r < Prompts.Length; r++)
        {
            var single = SequenceLogProbs.SequenceTotals(model, [Prompts[r]], [completions[r]], padId: 0)[0];
            Assert.True(Math.Abs(single - batched[r]) < 1e-5, $"row {r}: {single} vs {batched[r]}");
        }
    }

    [Fact]
    public void Log_probs_match_a_hand_gathered_log_softmax()
    {
        using var model = TinyModels.Random(seed: 13);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // prompt [1, 5], completion [9, 2]: log p(9 | 1 5) + log p(2 | 1 5 9)
        var logits = model.forward(tensor(new long[] { 1, 5, 9, 2 }, [1, 4])).log_softmax(-1);
        var expected = logits[0, 1, 9].item<float>() + logits[0, 2, 2].item<float>();
        var got = SequenceLogProbs.SequenceTotals(model, [[1, 5]], [[9, 2]], padId: 0)[0];
        Assert.Equal(expected, got, 5);
    }

    [Fact]
    public void Log_probs_at_a_temperature_are_those_of_the_scaled_logits()
    {
        using var model = TinyModels.Random(seed: 13);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        // prompt [1, 5], completion [9, 2] at T = 0.5: log softmax(z / 0.5) gathered at 9 then at 2
        var logits = (model.forward(tensor(new long[] { 1, 5, 9, 2 }, [1, 4])) / 0.5).log_softmax(-1);
        var expected = logits[0, 1, 9].item<float>() + logits[0, 2, 2].item<float>();
        Assert.Equal(expected, SequenceLogProbs.SequenceTotals(model, [[1, 5]], [[9, 2]], padId: 0, temperature: 0.5)[0], 5);
        Assert.NotEqual(expected, SequenceLogProbs.SequenceTotals(model, [[1, 5]], [[9, 2]], padId: 0)[0], 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => SequenceLogProbs.SequenceTotals(model, [[1, 5]], [[9, 2]], padId: 0, temperature: 0));
    }

    [Fact]
    public void Tokens_sampled_at_a_temperature_follow_the_log_probs_scored_at_it()
    {
        // RL scores its samples with SequenceLogProbs: the two must describe the same distribution, or the gradient is off-policy
        using var model = TinyModels.Random(seed: 21);
        const int draws = 20_000;
        var prompts = Enumerable.Repeat(new[] { 1, 5, 9 }, draws).ToArray();
        var sampled = BatchGenerator.Generate(model, prompts, new GenerationOptions { MaxNewTokens = 1, Temperature = 0.5, Seed = 3 }, padId: 0);
        var counts = sampled.Completions.GroupBy(c => c[0]).ToDictionary(g => g.Key, g => g.Count());
        foreach (var (token, count) in counts.Where(kv => kv.Value >= 200))
        {
            var p = Math.Exp(SequenceLogProbs.SequenceTotals(model, [[1, 5, 9]], [[token]], padId: 0, temperature: 0.5)[0]);
            var se = Math.Sqrt(p * (1 - p) / draws);
            Assert.True(Math.Abs((double)count / draws - p) < 5 * se, $"token {token}: sampled {(double)count / draws:F4}, scored {p:F4}");
        }
        Assert.True(counts.Count(kv => kv.Value >= 200) >= 2, "the check needs at least two frequent tokens");
    }

    [Fact]
    public void Log_probs_carry_gradient_to_the_weights()
    {
        using var model = TinyModels.Random(seed: 17);
        model.train();
        using var scope = NewDisposeScope();
        using var batch = SequenceLogProbs.Pack([[1, 5]], [[9, 2]], 0, CPU);
        var result = SequenceLogProbs.Compute(model, batch);
        result.SequenceLogProbs().sum().backward();
        Assert.True(model.parameters().All(p => p.grad is not null));
        Assert.True(result.Entropy.sum().item<float>() > 0);
    }
}
