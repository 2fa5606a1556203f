// The generator is deterministic by seed, and everything it writes parses, verifies and sits at its stated level.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskGeneratorTests
{
    static IEnumerable<TinyTaskExample> Draw(int seed, int perFamilyAndLevel)
    {
        var rng = new Random(seed);
        foreach (var family in Enum.GetValues<TinyTaskFamily>())
            for (var level = TinyTaskLimits.MinLevel; level <= TinyTaskLimits.MaxLevel; level++)
                for (var i = 0; i < perFamilyAndLevel; i++)
                    yield return TinyTaskGenerator.Generate(rng, family, level);
    }

    [Fact]
    public void Same_seed_gives_same_items_and_another_seed_differs()
    {
        var first = Draw(seed: 5, perFamilyAndLevel: 3).ToList();
        Assert.Equal(first, Draw(seed: 5, perFamilyAndLevel: 3).ToList());
        Assert.NotEqual(first, Draw(seed: 6, perFamilyAndLevel: 3).ToList());
    }

    [Fact]
    public void Every_generated_instruction_parses_and_its_answer_verifies()
    {
        foreach (var item in Draw(seed: 1, perFamilyAndLevel: 40))
        {
            var parsed = TinyTaskParser.Parse(item.Instruction);
            Assert.True(parsed.IsValid, $"{item.Instruction}: {parsed.Reason}");
            Assert.Equal(item.Family, parsed.Task!.Family);
            Assert.Equal(1.0, TinyTaskVerifier.Reward(item.Instruction, item.Answer));
        }
    }

    [Fact]
    public void Difficulty_estimate_matches_the_generating_level()
    {
        foreach (var item in Draw(seed: 2, perFamilyAndLevel: 40))
            Assert.True(item.Level == TinyTaskParser.Parse(item.Instruction).Task!.Level, $"{item.Instruction} generated at {item.Level}");
    }

    [Fact]
    public void Easy_levels_use_words_of_at_most_three_letters_and_numbers_below_one_hundred()
    {
        var rng = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            var item = TinyTaskGenerator.Generate(rng, 1 + i % TinyTaskLimits.EasyMaxLevel);
            foreach (var arg in item.Instruction.Split(' ').Skip(1))
                Assert.True(char.IsAsciiDigit(arg[0]) ? int.Parse(arg) < 100 : arg.Length <= 3, item.Instruction);
        }
    }

    [Fact]
    public void Level_outside_one_to_six_throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => TinyTaskGenerator.Generate(new Random(0), TinyTaskFamily.Rev, 7));
}
