using TorchSharp;
using WebLab.Training.Generation;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Generation;

public class TokenSamplerTests
{
    // logits ln(1), ln(2), ln(3), ln(4) → probabilities 0.1, 0.2, 0.3, 0.4
    static Tensor Logits(int rows) => tensor(new[] { 0f, MathF.Log(2), MathF.Log(3), MathF.Log(4) }).log_softmax(0).unsqueeze(0).expand(rows, -1).contiguous();

    static double[] Frequencies(GenerationOptions options, int rows = 20000)
    {
        using var scope = NewDisposeScope();
        using var sampler = new TokenSampler(options, CPU);
        var ids = sampler.Sample(Logits(rows)).data<long>().ToArray();
        return Enumerable.Range(0, 4).Select(t => ids.Count(i => i == t) / (double)rows).ToArray();
    }

    [Fact]
    public void Temperature_one_samples_the_softmax_distribution()
    {
        var f = Frequencies(new GenerationOptions { Seed = 1 });
        double[] expected = [0.1, 0.2, 0.3, 0.4];
        for (int t = 0; t < 4; t++) Assert.InRange(f[t], expected[t] - 0.015, expected[t] + 0.015);
    }

    [Fact]
    public void Top_k_two_keeps_only_the_two_most_likely_renormalised()
    {
        // 0.3 and 0.4 survive → 3/7 and 4/7
        var f = Frequencies(new GenerationOptions { Seed = 2, TopK = 2 });
        Assert.Equal(0, f[0] + f[1]);
        Assert.InRange(f[2], 3 / 7.0 - 0.015, 3 / 7.0 + 0.015);
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p()
    {
        // sorted 0.4, 0.3, 0.2, 0.1: p = 0.6 needs 0.4 + 0.3 (0.4 alone is short of 0.6) → 4/7, 3/7
        var f = Frequencies(new GenerationOptions { Seed = 3, TopP = 0.6 });
        Assert.Equal(0, f[0] + f[1]);
        Assert.InRange(f[3], 4 / 7.0 - 0.015, 4 / 7.0 + 0.015);
    }

    [Fact]
    public void Temperature_zero_is_argmax()
    {
        Assert.Equal([0, 0, 0, 1], Frequencies(new GenerationOptions { Temperature = 0 }, rows: 10));
    }
}
