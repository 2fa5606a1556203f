// Runs compared with runs. A recipe seeds libtorch's one global generator (manual_seed) and then draws its model's
// initial weights from it; a test beside it that seeds or draws from that generator in the same moment changes those
// weights, and two runs that should agree differ from step 1 (MicroBatchTests' sft case did once in CI: loss 3.714
// against 3.757 at step 1). The tests that compare whole runs belong to this collection, which xUnit runs alone, after
// the others.
namespace WebLab.Training.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class GlobalGenerator
{
    public const string Name = "global generator";
}
