// Hand-worked answers, one or more per family, checked against the reference solver through the parser.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTaskSolverTests
{
    [Theory]
    [InlineData("rev abc", "cba")]
    [InlineData("rev a", "a")]
    [InlineData("sort dcab", "abcd")]
    [InlineData("sort hahb", "abhh")]            // duplicates kept: a, b, h, h
    [InlineData("cnt a abaca", "3")]             // a_a_a at positions 0, 2, 4
    [InlineData("cnt h abc", "0")]
    [InlineData("len bead", "4")]
    [InlineData("len abcdefghabcd", "12")]
    [InlineData("dedup abcab", "abc")]           // a, b, c first seen; the later a, b dropped
    [InlineData("dedup bbaab", "ba")]
    [InlineData("add 12 7", "19")]
    [InlineData("add 999999 1", "1000000")]      // the sum may exceed MaxNumber; only arguments are bounded
    [InlineData("max 3 9 4", "9")]
    [InlineData("max 10 9", "10")]               // numeric, not lexicographic ("9" > "10" as text)
    public void Answer_matches_hand_worked_example(string instruction, string answer) =>
        Assert.Equal(answer, TinyTaskParser.Parse(instruction).Task!.Answer);
}
