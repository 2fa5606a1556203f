// Imported prompt sets: the file formats (with line-numbered refusals), shuffled-epoch drawing, and the option's checks.
using System.Text.Json.Nodes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Grpo;

namespace WebLab.Training.Tests.Methods.Grpo;

public class PromptSetTests
{
    [Fact]
    public void Plain_text_gives_one_trimmed_prompt_per_line_and_skips_blank_lines()
    {
        var r = PromptSetFile.Parse("rev abc\r\n\n  add 12 7  \n\nsort hgfa", "prompts.txt");
        Assert.Empty(r.Errors);
        Assert.Equal(["rev abc", "add 12 7", "sort hgfa"], r.Prompts);
    }

    [Fact]
    public void Json_lines_are_read_by_extension_or_by_their_first_brace()
    {
        const string text = "{\"prompt\": \"rev abc\", \"source\": \"mine\"}\n\n{\"prompt\":\" max 3 9 4 \"}\n";
        Assert.Equal(["rev abc", "max 3 9 4"], PromptSetFile.Parse(text, "set.jsonl").Prompts);
        Assert.Equal(["rev abc", "max 3 9 4"], PromptSetFile.Parse(text, "upload").Prompts);
        // a .txt with braces is still text: the first line is taken as it stands
        Assert.Equal("{\"prompt\": \"rev abc\", \"source\": \"mine\"}", PromptSetFile.Parse("x\n" + text, "set.txt").Prompts[1]);
    }

    [Fact]
    public void A_bad_line_refuses_the_whole_file_naming_each_line_at_fault()
    {
        var r = PromptSetFile.Parse("{\"prompt\":\"rev abc\"}\n{\"prompt\": 3}\nnot json\n\n{\"q\":\"x\"}\n[1]\n{\"prompt\":\"  \"}", "x.jsonl");
        Assert.Empty(r.Prompts);
        Assert.Equal(5, r.Errors.Count);
        Assert.StartsWith("line 2: \"prompt\" must be a string", r.Errors[0]);
        Assert.StartsWith("line 3: not valid JSON", r.Errors[1]);
        Assert.Equal("line 5: no \"prompt\" field", r.Errors[2]);
        Assert.StartsWith("line 6: expected a JSON object", r.Errors[3]);
        Assert.Equal("line 7: \"prompt\" is empty", r.Errors[4]);
    }

    [Fact]
    public void An_empty_file_and_a_flood_of_errors_are_reported_briefly()
    {
        Assert.Equal(["the file holds no prompts"], PromptSetFile.Parse("\n \r\n", "a.txt").Errors);
        var many = PromptSetFile.Parse(string.Join('\n', Enumerable.Repeat("{oops", 30)), "b.jsonl");
        Assert.Equal(21, many.Errors.Count);
        Assert.Equal("… and 10 more", many.Errors[^1]);
    }

    [Fact]
    public void Each_epoch_draws_every_prompt_once_in_a_fresh_order()
    {
        string[] prompts = ["a", "b", "c", "d", "e", "f"];
        var set = new PromptSet(prompts);
        var rng = new Random(4);
        var epochs = Enumerable.Range(0, 3).Select(_ => Enumerable.Range(0, 6).Select(_ => set.Next(rng)).ToArray()).ToList();
        Assert.Equal(3, set.Epoch);
        Assert.All(epochs, e => Assert.Equal(prompts, e.Order()));
        Assert.NotEqual(epochs[0], epochs[1]);                            // seed 4: a different permutation each pass
        set.Next(rng);
        Assert.Equal(4, set.Epoch);
        // the same seed gives the same sequence
        var again = new PromptSet(prompts);
        var rng2 = new Random(4);
        Assert.Equal(epochs[0], Enumerable.Range(0, 6).Select(_ => again.Next(rng2)));
        Assert.Throws<ArgumentException>(() => new PromptSet([]));
    }

    [Fact]
    public void The_option_refuses_invalid_instructions_and_held_out_evaluation_items()
    {
        var method = new GrpoMethod();
        var heldOut = TinyTaskSplits.Evaluation().SelectMany(s => s.Items).First(i => i.Level >= 3).Instruction;
        Assert.True(TinyTaskSplits.IsHeldOut(heldOut));
        var ok = (GrpoOptions)MethodOptions.Build(method, "tiny-cpu", new JsonObject { ["promptSet"] = new JsonArray("rev abc", "add 12 7") }, DomainCatalog.Default);
        Assert.Equal(["rev abc", "add 12 7"], ok.PromptSet);

        var e = Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(method, "tiny-cpu",
            new JsonObject { ["domain"] = "tinytasks", ["promptSet"] = new JsonArray("rev abc", "rev ABC", heldOut), ["steps"] = 0 },
            DomainCatalog.Default));   // the domain's rule: its held-out items, with the other messages at once
        Assert.Equal(["promptSet", "steps"], e.Errors.Keys.Order());
        var message = Assert.Single(e.Errors["promptSet"]);
        Assert.StartsWith("2 of 3 prompts cannot be trained on: [1] 'rev ABC': ", message);
        Assert.Contains($"[2] '{heldOut}': a held-out evaluation item", message);
    }
}
