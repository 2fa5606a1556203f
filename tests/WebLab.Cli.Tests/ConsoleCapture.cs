// The verbs write to the process's console. A test that reads what a verb printed on Console.Out swaps it for a while,
// and any test running beside it would print into that swap: such tests belong to this collection, which xUnit runs
// alone, after the others. (LogitsVerbTests reads Console.Error only with Assert.Contains, which another test's lines
// cannot break, so it runs in parallel.)
namespace WebLab.Cli.Tests;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCapture
{
    public const string Name = "console capture";
}
