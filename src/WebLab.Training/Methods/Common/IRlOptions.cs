// The options every RL method has (self-play, GRPO): what the shared run setup, step loop and evaluation read.
namespace WebLab.Training.Methods.Common;

public interface IRlOptions
{
    string Domain { get; }
    int Steps { get; }
    double LearningRate { get; }
    double AdamBeta1 { get; }
    double AdamBeta2 { get; }
    double AdamEpsilon { get; }
    double WeightDecay { get; }
    bool PartialCredit { get; }
    double EvalTemperature { get; }
    int EvalEvery { get; }
    int EvalPerSplit { get; }
    int EvalSeed { get; }
    int CheckpointEvery { get; }
    int Seed { get; }
    int Threads { get; }
}
