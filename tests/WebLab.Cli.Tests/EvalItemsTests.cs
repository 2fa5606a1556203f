// `weblab eval --items` and `--paired` (issue 26's second look): a VLM evaluation's per-item records, worked by hand, and
// the paired sign test read back from them, on made-up lines and on a real evaluation of the shipped cold start.
using System.Text.Json.Nodes;
using WebLab.Cli;
using WebLab.Cli.Verbs;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.VisionSr1;
using WebLab.Web.Features.RunGroups;

namespace WebLab.Cli.Tests;

[Collection(ConsoleCapture.Name)]
public sealed class EvalItemsTests
{
    static readonly IVisualDomain Scenes = DomainCatalog.Default.Get<IVisualDomain>("tinyscenes");

    static VisionEvaluation.Case Case(string split, string question, bool correct, string? description, bool? oracle, bool? startModel) =>
        new(split, new VisualItem(question, "2", "img:" + question, "truth"), "response", correct, true, description, null, oracle, startModel, false);

    [Fact]
    public void A_line_flags_a_right_answer_whose_description_a_judge_finds_insufficient_and_a_missing_one_as_insufficient()
    {
        static JsonObject Of(VisionEvaluation.Case c) => JsonNode.Parse(EvalItems.Line(c))!.AsObject();
        // right, the oracle finds the description insufficient, the start model sufficient
        var a = Of(Case("count", "how many?", true, "two red balls", oracle: false, startModel: true));
        Assert.Equal((true, false, false), ((bool)a["shortcut_oracle"]!, (bool)a["shortcut_start_model"]!, (bool)a["description_missing"]!));
        Assert.Equal("how many?\u001fimg:how many?", (string)a["key"]!);
        // right with no description: missing, and a shortcut by both judges (the start model was not asked: null)
        var b = Of(Case("count", "q2", true, null, oracle: false, startModel: false));
        Assert.Equal((true, true, true), ((bool)b["shortcut_oracle"]!, (bool)b["shortcut_start_model"]!, (bool)b["description_missing"]!));
        // a wrong answer is no shortcut, whatever its description
        var c = Of(Case("count", "q3", false, "nothing", oracle: false, startModel: false));
        Assert.Equal((false, false), ((bool)c["shortcut_oracle"]!, (bool)c["shortcut_start_model"]!));
    }

    [Fact]
    public void Reading_keeps_in_distribution_splits_unless_one_is_named_and_the_paired_test_pools_the_discordant_items()
    {
        string Line(string split, string key, bool correct) => $$"""{"split": "{{split}}", "key": "{{key}}", "correct": {{(correct ? "true" : "false")}}}""";
        // seed 1: A right on x1 x2, B on x1 x3; counter-prior y1 (A only) is left out
        string[] a1 = [Line("count", "x1", true), Line("color", "x2", true), Line("count", "x3", false), Line(TinyScenesSplits.CounterPrior, "y1", true), ""];
        string[] b1 = [Line("count", "x1", true), Line("color", "x2", false), Line("count", "x3", true), Line(TinyScenesSplits.CounterPrior, "y1", false)];
        // seed 2: A right on z1 z2, B on neither
        string[] a2 = [Line("sum", "z1", true), Line("sum", "z2", true)];
        string[] b2 = [Line("sum", "z1", false), Line("sum", "z2", false)];
        IReadOnlyList<PairedItem> Read(string[] lines, string? split = null) => EvalItems.Read(lines, "correct", split, Scenes.IsApart);
        Assert.Equal(["x1", "x2", "x3"], Read(a1).Select(i => i.Key));
        Assert.Equal(["y1"], Read(a1, TinyScenesSplits.CounterPrior).Select(i => i.Key));

        var r = PairedTest.Of([("a1", Read(a1)), ("a2", Read(a2))], [("b1", Read(b1)), ("b2", Read(b2))]);
        // discordant: only A on x2, z1, z2; only B on x3 → 3 against 1, two-sided exact sign test: 2 · 5/16 = 0.625
        Assert.Equal((5, 3, 1), (r.Items, r.OnlyA, r.OnlyB));
        Assert.Equal(0.625, r.SignTestP, 12);
        Assert.Equal(4 / 5.0, r.ShareA, 12);                                   // x1 x2 z1 z2 of 5
        Assert.Equal(2 / 5.0, r.ShareB, 12);                                   // x1 x3

        var e = Assert.Throws<CliException>(() => EvalItems.Read(["{\"split\": \"count\", \"key\": \"k\"}"], "shortcut_oracle", null, Scenes.IsApart, "a.jsonl"));
        Assert.Equal("a.jsonl:1: no yes/no \"shortcut_oracle\" (flags: correct, shortcut_oracle, shortcut_start_model)", e.Message);
        Assert.Contains("a.jsonl:2: not a JSON object", Assert.Throws<CliException>(() => EvalItems.Read(["", "{oops"], "correct", null, Scenes.IsApart, "a.jsonl")).Message);
    }

    [Fact]
    public void The_cold_starts_records_hold_every_item_once_and_agree_with_its_printed_summary_and_pair_with_themselves()
    {
        using var dir = new TempFolder();
        var items = Path.Combine(dir.Path, "cold.jsonl");
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, EvalVerb.Run(new Args("eval", ["--model", TinyScenesDomain.BaseModelDirectory, "--domain", "tinyscenes", "--eval-seed", "7100001",
                "--per-split", "4", "--max-tokens", "48", "--items", items])));
        }
        finally { Console.SetOut(previous); }
        var summary = JsonNode.Parse(output.ToString())!.AsObject();
        var lines = File.ReadAllLines(items).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
        Assert.Equal(28, lines.Count);                                          // six families and counter-prior × 4
        Assert.Equal(28, lines.Select(l => (string)l["key"]!).Distinct().Count());
        var inDistribution = lines.Where(l => (string)l["split"]! != TinyScenesSplits.CounterPrior).ToList();
        Assert.Equal((double)summary["in_distribution"]!, Math.Round(inDistribution.Average(l => (bool)l["correct"]! ? 1.0 : 0.0), 4));
        Assert.Equal((double)summary["lsr_oracle"]!, Math.Round(inDistribution.Average(l => (bool)l["shortcut_oracle"]! ? 1.0 : 0.0), 4));

        output = new StringWriter();
        Console.SetOut(output);
        try { Assert.Equal(0, EvalVerb.Run(new Args("eval", ["--paired", items, "--with", items, "--flag", "shortcut_oracle"]))); }
        finally { Console.SetOut(previous); }
        var paired = JsonNode.Parse(output.ToString())!.AsObject();
        Assert.Equal((24, 0, 0, 1.0), ((int)paired["items"]!, (int)paired["only_a"]!, (int)paired["only_b"]!, (double)paired["sign_test_p"]!));

        var e = Assert.Throws<CliException>(() => EvalVerb.Run(new Args("eval", ["--paired", items, "--with", $"{items},{items}"])));
        Assert.Contains("--paired has 1 files and --with 2", e.Message);
        e = Assert.Throws<CliException>(() => EvalVerb.Run(new Args("eval", ["--model", TinyScenesDomain.BaseModelDirectory, "--domain", "tinytasks", "--items", items])));
        Assert.Contains("for a visual domain", e.Message);
    }
}
