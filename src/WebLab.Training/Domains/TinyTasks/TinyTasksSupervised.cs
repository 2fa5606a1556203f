// SFT's TinyTasks examples: Solver examples (<s><solver>rev abc= → cba</s>) and, with probability ChallengerShare,
// Challenger ones (<s><challenger>rev  → abc</s>, the family slot filled half the time); TailShare of them from levels
// above MaxLevel, halving per level.
using WebLab.Training.Generation;

namespace WebLab.Training.Domains.TinyTasks;

public static class TinyTasksSupervised
{
    static readonly TinyTasksTokenizer Tok = TinyTasksTokenizer.Instance;

    /// <summary>One example drawn from <paramref name="rng"/> (the draws, in order: tail?, the item, role, family slot);
    /// with a <paramref name="testbed"/>, never one of its held-out items (else never a default evaluation item).</summary>
    public static SupervisedExample Example(Random rng, SupervisedSettings s, TinyTasksTestbed? testbed = null)
    {
        TinyTaskExample ex;
        if (s.TailShare > 0 && s.MaxLevel < TinyTaskLimits.MaxLevel && rng.NextDouble() < s.TailShare)
        {
            var level = TailLevel(rng, s.MaxLevel);
            ex = testbed is null ? TinyTaskSplits.TrainingSampleAt(rng, level) : testbed.TrainingSampleAt(rng, level);
        }
        else ex = testbed is null ? TinyTaskSplits.TrainingSample(rng, s.MaxLevel) : testbed.TrainingSample(rng, s.MaxLevel);
        if (rng.NextDouble() >= s.ChallengerShare) return new(Prompt.Text(Tok.SolverPrompt(ex.Instruction)), Tok.SolverTarget(ex.Answer));
        string? family = rng.Next(2) == 0 ? ex.Family.Name() : null;
        return new(Prompt.Text(Tok.ChallengerPrompt(family)), Tok.ChallengerTarget(family, ex.Instruction));
    }

    /// <summary>A level above <paramref name="maxLevel"/>: maxLevel+1 with probability ½, the next with ¼, …, the last takes the rest.</summary>
    public static int TailLevel(Random rng, int maxLevel)
    {
        var level = maxLevel + 1;
        while (level < TinyTaskLimits.MaxLevel && rng.Next(2) == 0) level++;
        return level;
    }
}
