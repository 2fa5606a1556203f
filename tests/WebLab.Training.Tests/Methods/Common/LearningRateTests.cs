using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Methods.Common;

public class LearningRateTests
{
    [Fact]
    public void Warmup_rises_linearly_then_cosine_falls_to_the_floor()
    {
        // peak 1, 4 warm-up steps: 0.25, 0.5, 0.75, 1.0; then 5 decay steps (4..8) from 1.0 to 0.1
        Assert.Equal(0.25, LearningRate.WarmupCosine(0, 9, 4, 1.0), 12);
        Assert.Equal(1.0, LearningRate.WarmupCosine(3, 9, 4, 1.0), 12);
        Assert.Equal(1.0, LearningRate.WarmupCosine(4, 9, 4, 1.0), 12);
        // halfway (step 6 of 4..8): 0.1 + 0.9·0.5·(1 + cos(π/2)) = 0.55
        Assert.Equal(0.55, LearningRate.WarmupCosine(6, 9, 4, 1.0), 12);
        Assert.Equal(0.1, LearningRate.WarmupCosine(8, 9, 4, 1.0), 12);
    }
}
