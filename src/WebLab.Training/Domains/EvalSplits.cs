// Evaluation split names every domain and host agree on: a split named "ood" holds out-of-distribution items (levels
// the base never trained on), reported on its own and left out of the headline win rate and accuracy.
namespace WebLab.Training.Domains;

public static class EvalSplits
{
    public const string OutOfDistribution = "ood";

    /// <summary>The fixed evaluation seed every reported result uses (the default of the methods' evalSeed option).</summary>
    public const int DefaultSeed = 7_000_001;

    /// <summary>True for the out-of-distribution split: not part of the headline numbers.</summary>
    public static bool IsOutOfDistribution(string split) => split == OutOfDistribution;
}
