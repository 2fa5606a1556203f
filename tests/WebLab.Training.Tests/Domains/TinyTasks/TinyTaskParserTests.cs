// The parser accepts the strict instruction form and names the reason for every kind of malformed text.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskParserTests
{
    [Theory]
    [InlineData("", TinyTaskParseError.Empty)]
    [InlineData("   ", TinyTaskParseError.Empty)]
    [InlineData("foo abc", TinyTaskParseError.UnknownFamily)]
    [InlineData("REV abc", TinyTaskParseError.UnknownFamily)]         // family words are lowercase
    [InlineData("rev", TinyTaskParseError.WrongArgumentCount)]
    [InlineData("rev abc abc", TinyTaskParseError.WrongArgumentCount)] // extra argument
    [InlineData("add 1", TinyTaskParseError.WrongArgumentCount)]
    [InlineData("max 5", TinyTaskParseError.WrongArgumentCount)]       // lists need at least 2 numbers
    [InlineData("max 1 2 3 4 5 6 7 8 9", TinyTaskParseError.WrongArgumentCount)] // and at most 8
    [InlineData("rev xyz", TinyTaskParseError.BadLetter)]              // x, y, z are outside a–h
    [InlineData("rev abC", TinyTaskParseError.BadLetter)]
    [InlineData("rev abc=", TinyTaskParseError.BadLetter)]             // trailing junk
    [InlineData("cnt ab abc", TinyTaskParseError.BadLetter)]           // cnt counts one letter
    [InlineData("rev abcdefghabcde", TinyTaskParseError.WordTooLong)]  // 13 letters > 12
    [InlineData("rev  abc", TinyTaskParseError.BadSpacing)]
    [InlineData("add 12 7x", TinyTaskParseError.NotANumber)]
    [InlineData("add -1 2", TinyTaskParseError.NotANumber)]
    [InlineData("add 007 2", TinyTaskParseError.NotANumber)]           // leading zeros are not canonical
    [InlineData("add 1000000 2", TinyTaskParseError.NumberTooLarge)]   // 7 digits > 999999
    [InlineData("max 1000000 1000000 1000000 1000000 1000000 1000000 1000000 1000000", TinyTaskParseError.TooLong)] // 67 > 64
    public void Malformed_text_is_rejected_with_its_reason(string text, TinyTaskParseError error)
    {
        var result = TinyTaskParser.Parse(text);
        Assert.False(result.IsValid);
        Assert.Equal(error, result.Error);
        Assert.NotEmpty(result.Reason);
    }

    [Theory]
    [InlineData("rev abc")]
    [InlineData("  sort dcab \n")]                   // surrounding whitespace is trimmed
    [InlineData("cnt a abcdefghabcd")]               // longest word: 12 letters
    [InlineData("add 0 999999")]
    [InlineData("max 999999 999999 999999 999999 999999 999999 999999 999999")] // 59 chars, the longest instruction
    public void Valid_instruction_parses_to_its_canonical_text(string text)
    {
        var result = TinyTaskParser.Parse(text);
        Assert.True(result.IsValid, result.Reason);
        Assert.Equal(TinyTaskParseError.None, result.Error);
        Assert.Equal(text.Trim(), result.Task!.Instruction);
    }

    [Fact]
    public void Null_text_is_empty() => Assert.Equal(TinyTaskParseError.Empty, TinyTaskParser.Parse(null).Error);
}
