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
            _ => throw new InvalidOperationException($"{method}: not a typed method"),
        };
        Assert.Equal(MethodOptions.ToJson(typed), MethodOptions.ToJson(built));
    }

    [Fact]
    public void Every_method_has_the_tiny_cpu_preset()
    {
        Assert.All(MethodCatalog.Default.All, m => Assert.Contains(PresetNames.TinyCpu, m.Presets.Keys));
        Assert.Equal(4, MethodCatalog.Default.All.Count);                       // sft, lsp, lsp-zero, grpo
    }

    [Fact]
    public void Presets_are_served_as_their_differences_from_the_defaults()
    {
        IExperimentMethod grpo = new GrpoMethod();
        // tiny-cpu: steps 60, lr 3e-5, β 0.1, eval every 30 on 12 per split; sampleEvery 5 is the default and drops out
        Assert.True(JsonNode.DeepEquals(
            new JsonObject { ["steps"] = 60, ["beta"] = 0.1, ["learningRate"] = 3e-5, ["evalEvery"] = 30, ["evalPerSplit"] = 12 },
            grpo.Presets[PresetNames.TinyCpu]), grpo.Presets[PresetNames.TinyCpu].ToJsonString());
        Assert.Empty(grpo.Presets["paper"]);                                     // the paper's values are the defaults
        IExperimentMethod lsp = new SelfPlayMethod(withQuality: true);
        Assert.Equal("AdvantagePenalty", (string?)lsp.Presets[PresetNames.TinyCpu]["kl"]);
        Assert.Equal(1.0 / 7, (double)lsp.Presets[PresetNames.TinyCpu]["qualityWeight"]!);
    }
}
