// The UI's family list is consistent with the parser and solver: unique names, and every example answers correctly.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskFamiliesTests
{
    [Fact]
    public void There_are_seven_families_indexed_by_enum_with_unique_names()
    {
        Assert.Equal(7, TinyTaskFamilies.All.Count);
        Assert.All(TinyTaskFamilies.All, f => Assert.Equal(f, TinyTaskFamilies.All[(int)f.Family]));
        Assert.Equal(7, TinyTaskFamilies.All.Select(f => f.Name).Distinct().Count());
    }

    [Fact]
    public void Every_family_example_is_a_correct_instruction_and_answer()
    {
        foreach (var info in TinyTaskFamilies.All)
        {
            var parts = info.Example.Split(" → ");        // "rev abc → cba"
            Assert.Equal(info.Family, TinyTaskParser.Parse(parts[0]).Task!.Family);
            Assert.True(TinyTaskVerifier.IsCorrect(parts[0], parts[1]), info.Example);
        }
    }
}
