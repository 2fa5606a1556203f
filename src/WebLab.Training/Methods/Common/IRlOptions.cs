// The options every RL method has (self-play, GRPO): what the shared run setup, step loop and evaluation read.
namespace WebLab.Training.Methods.Common;

public interface IRlOptions
{
    string Domain { get; }
    int Steps { get; }
    double LearningRate { get; }
    bool PartialCredit { get; }
    double EvalTemperature { get; }
    int EvalEvery { get; }
    int EvalPerSplit { get; }
    int CheckpointEvery { get; }
    int Seed { get; }
    int Threads { get; }
}
