// The character tokenizer round-trips text, keeps a small vocabulary, and lays out the solver and challenger formats.
using WebLab.Training.Domains.TinyTasks;
using Xunit;

namespace WebLab.Training.Tests.Domains.TinyTasks;

public class TinyTasksTokenizerTests
{
    readonly TinyTasksTokenizer tok = TinyTasksTokenizer.Instance;

    [Fact]
    public void Vocabulary_has_five_specials_and_38_characters()
    {
        // 5 specials + space + '=' + 10 digits + 26 letters = 43 < 64
        Assert.Equal(43, tok.VocabSize);
        Assert.Equal([0, 1, 2, 3, 4], new[] { tok.PadId, tok.BosId, tok.EosId, tok.ChallengerId, tok.SolverId });
    }

    [Theory]
    [InlineData("rev abc")]
    [InlineData("max 999999 0 12")]
    [InlineData("abcdefghijklmnopqrstuvwxyz 0123456789=")]
    public void Decode_of_encode_round_trips_plain_text(string text) =>
        Assert.Equal(text, tok.Decode(tok.Encode(text)));

    [Fact]
    public void Encode_reads_rendered_special_tokens_and_decode_skips_pad()
    {
        // <s>=1, <solver>=4, r=17+17=34, e=21, v=38, space=5, a=17, '='=6, </s>=2
        int[] ids = [1, 4, 34, 21, 38, 5, 17, 6, 2];
        Assert.Equal(ids, tok.Encode("<s><solver>rev a=</s>"));
        Assert.Equal("<s><solver>rev a=</s>", tok.Decode([.. ids, 0, 0]));
    }

    [Theory]
    [InlineData("Rev abc")]
    [InlineData("rev ab\n")]
    [InlineData("<unk>")]
    public void Encode_throws_on_characters_outside_the_vocabulary(string text) =>
        Assert.Throws<ArgumentException>(() => tok.Encode(text));

    [Fact]
    public void Solver_prompt_and_target_form_the_training_sequence()
    {
        var sequence = tok.SolverPrompt("rev abc").Concat(tok.SolverTarget("cba"));
        Assert.Equal("<s><solver>rev abc=cba</s>", tok.Decode(sequence));
        Assert.Equal("cba", tok.DecodeCompletion(tok.SolverTarget("cba").Append(tok.PadId)));
    }

    [Fact]
    public void Challenger_prompt_with_task_slot_leaves_the_arguments_to_the_model()
    {
        Assert.Equal("<s><challenger>rev ", tok.Decode(tok.ChallengerPrompt("rev")));
        Assert.Equal("abc</s>", tok.Decode(tok.ChallengerTarget("rev", "rev abc")));
        Assert.Equal("rev abc", TinyTasksTokenizer.ChallengerInstruction("rev", tok.DecodeCompletion(tok.ChallengerTarget("rev", "rev abc"))));
    }

    [Fact]
    public void Challenger_prompt_without_task_slot_leaves_the_whole_instruction_to_the_model()
    {
        Assert.Equal("<s><challenger>", tok.Decode(tok.ChallengerPrompt(null)));
        Assert.Equal("add 1 2</s>", tok.Decode(tok.ChallengerTarget(null, "add 1 2")));
        Assert.Equal("add 1 2", TinyTasksTokenizer.ChallengerInstruction(null, "add 1 2"));
    }
}
