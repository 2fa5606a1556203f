// The seed of one round of rollouts, written once for every recipe: a run's seed, the step (or the step's index among a
// recipe's generation phases) and the sampling round. The multipliers are primes far apart, so no two (seed, step,
// round) of a run's length meet: 1,000,003 steps a seed, 7,919,000,003 a round.
namespace WebLab.Training.Methods.Common;

public static class RolloutSeed
{
    /// <summary>seed · 1,000,003 + step + round · 7,919,000,003.</summary>
    public static long At(int seed, long step, int round = 0) => seed * 1_000_003L + step + round * 7_919_000_003L;

    /// <summary><see cref="At"/>'s low 31 bits, as a seed for <see cref="Random"/> (the same in every process, unlike
    /// HashCode.Combine, which .NET randomises per process).</summary>
    public static int ForRandom(int seed, long step, int round = 0) => (int)(At(seed, step, round) & int.MaxValue);
}
