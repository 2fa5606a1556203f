// The rollout seed, worked by hand, and the same in every process (a vision run drew its items from HashCode.Combine,
// which .NET randomises per process: a resumed step in a new worker drew other items).
using WebLab.Training.Methods.Common;

namespace WebLab.Training.Tests.Methods.Common;

public class RolloutSeedTests
{
    [Fact]
    public void The_seed_is_seed_times_1000003_plus_step_plus_round_times_7919000003()
    {
        Assert.Equal(1_000_005L, RolloutSeed.At(1, 2));
        Assert.Equal(3_000_009L + 5 + 2 * 7_919_000_003L, RolloutSeed.At(3, 5, 2));            // 15,841,000,020
        // as a Random seed: its low 31 bits, 15,841,000,020 − 7 · 2,147,483,648 = 808,614,484
        Assert.Equal(808_614_484, RolloutSeed.ForRandom(3, 5, 2));
        Assert.Equal(1_000_005, RolloutSeed.ForRandom(1, 2));
    }
}
