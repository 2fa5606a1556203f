// The verbs write to the process's console. A test that reads what a verb printed swaps Console.Out (or Error) for a
// while, and any test running beside it would print into that swap: such tests belong to this collection, which xUnit runs
// alone, after the others.
namespace WebLab.Cli.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "console capture";
}
