// Every preset of every method builds into valid options, equal to its typed record; presets are served as their
// differences from the defaults, and every method has the tiny-cpu preset the hosts default to.
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Methods.Sft;

namespace WebLab.Training.Tests.Experiments;

public class PresetTests
{
    public static TheoryData<string, string> EveryPreset()
    {
        var data = new TheoryData<string, string>();
        foreach (var m in MethodCatalog.Default.All)
            foreach (var p in m.Presets.Keys) data.Add(m.Name, p);
        return data;
    }

    [Theory, MemberData(nameof(EveryPreset))]
    public void Every_preset_builds_into_its_typed_options(string method, string preset)
    {
        var m = MethodCatalog.Default.Get(method);
        var built = MethodOptions.Build(m, preset, null);
        Assert.IsType(m.OptionsType, built);
        var typed = m switch
        {
            SftMethod s => (object)s.OptionPresets[preset],
            SelfPlayMethod s => s.OptionPresets[preset],
            GrpoMethod g => g.OptionPresets[preset],
            WebLab.Training.Methods.VisionSr1.VisionSr1Method v => v.OptionPresets[preset],
            _ => throw new InvalidOperationException($"{method}: not a typed method"),
        };
        Assert.Equal(MethodOptions.ToJson(typed), MethodOptions.ToJson(built));
    }

    [Fact]
    public void Every_method_has_the_tiny_cpu_preset()
    {
        Assert.All(MethodCatalog.Default.All, m => Assert.Contains(PresetNames.TinyCpu, m.Presets.Keys));
        Assert.Equal(["sft", "lsp", "lsp-zero", "grpo", "vision-sr1", "vision-r1", "seethink-noselfreward"], MethodCatalog.Default.All.Select(m => m.Name));
    }

    [Fact]
    public void Presets_are_served_as_their_differences_from_the_defaults()
    {
        IExperimentMethod grpo = new GrpoMethod();
        // tiny-cpu on the frontier testbed: steps 300, N 16, β 0.1, no std scaling, lr 1e-4, levels 3–4, exact match, 3
        // sampling rounds, eval every 150;
        // evalPerSplit 60 and sampleEvery 5 are the defaults and drop out
        Assert.True(JsonNode.DeepEquals(
            new JsonObject
            {
                ["domain"] = "tinytasks-frontier", ["steps"] = 300, ["prompts"] = 16, ["beta"] = 0.1, ["scaleByStd"] = false,
                ["learningRate"] = 1e-4, ["maxLevel"] = 4, ["minLevel"] = 3, ["evalEvery"] = 150,
                ["partialCredit"] = false, ["samplingRounds"] = 3,
            },
            grpo.Presets[PresetNames.TinyCpu]), grpo.Presets[PresetNames.TinyCpu].ToJsonString());
        // the paper's values (N 8, β 0.05, lr 1e-6) are the defaults: only the testbed differs
        Assert.True(JsonNode.DeepEquals(new JsonObject { ["domain"] = "tinytasks-frontier", ["maxLevel"] = 4 }, grpo.Presets["paper"]),
            grpo.Presets["paper"].ToJsonString());
        // headroom: tiny-cpu on the headroom testbed with 140 items a family (420 in all)
        var headroom = grpo.Presets["headroom"].DeepClone().AsObject();
        Assert.Equal(("tinytasks-headroom", 140), ((string?)headroom["domain"], (int)headroom["evalPerSplit"]!));
        headroom["domain"] = "tinytasks-frontier";
        headroom.Remove("evalPerSplit");
        Assert.True(JsonNode.DeepEquals(grpo.Presets[PresetNames.TinyCpu], headroom), headroom.ToJsonString());
        IExperimentMethod lsp = new SelfPlayMethod(withQuality: true);
        Assert.Equal("AdvantagePenalty", (string?)lsp.Presets[PresetNames.TinyCpu]["kl"]);
        Assert.Equal(1.0 / 7, (double)lsp.Presets[PresetNames.TinyCpu]["qualityWeight"]!);
        Assert.Equal((false, 3), ((bool)lsp.Presets[PresetNames.TinyCpu]["partialCredit"]!, (int)lsp.Presets[PresetNames.TinyCpu]["samplingRounds"]!));
        Assert.Equal(("tinytasks-headroom", 140, 3), ((string?)lsp.Presets["headroom"]["domain"], (int)lsp.Presets["headroom"]["evalPerSplit"]!,
            (int)lsp.Presets["headroom"]["samplingRounds"]!));
    }

    [Theory]
    [InlineData("lsp")]
    [InlineData("lsp-zero")]
    public void The_degeneration_preset_is_the_evidence_runs_setting(string method)
    {
        // bench/evidence/selfplay-degeneration.sh runs tiny-cpu with these overrides; the preset must repeat it exactly
        var m = MethodCatalog.Default.Get(method);
        var scripted = MethodOptions.Build(m, PresetNames.TinyCpu, new JsonObject
        {
            ["steps"] = 1000, ["evalEvery"] = 1000, ["partialCredit"] = true, ["challengerWeight"] = 1, ["challengerBaseline"] = "Mean",
        });
        Assert.Equal(MethodOptions.ToJson(scripted), MethodOptions.ToJson(MethodOptions.Build(m, "degeneration", null)));
    }
}
