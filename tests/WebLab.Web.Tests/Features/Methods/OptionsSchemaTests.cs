// The form's fields come from the options records: the domain option is a choice among the catalog's domains.
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Methods.Sft;
using WebLab.Web.Features.Methods;

namespace WebLab.Web.Tests.Features.Methods;

public class OptionsSchemaTests
{
    [Theory]
    [InlineData(typeof(SftOptions))]
    [InlineData(typeof(SelfPlayOptions))]
    [InlineData(typeof(GrpoOptions))]
    public void The_domain_option_is_a_choice_of_the_known_domains(Type optionsType)
    {
        var domain = OptionsSchema.Fields(optionsType).Single(f => f.Name == "domain");
        Assert.Equal(("enum", "tinytasks"), (domain.Type, (string?)domain.Default));
        Assert.Equal(["tinytasks", "tinytasks-frontier", "tinytasks-headroom", "tinyscenes", "chat"], domain.Choices!);
    }

    [Theory]
    [InlineData(typeof(SftOptions))]
    [InlineData(typeof(SelfPlayOptions))]
    [InlineData(typeof(GrpoOptions))]
    public void AdamW_settings_are_options_with_TorchSharps_defaults(Type optionsType)
    {
        // TorchSharp 0.107's optim.AdamW defaults: β 0.9 / 0.999, ε 1e-8, weight decay 0 (PyTorch's AdamW decays 0.01)
        var fields = OptionsSchema.Fields(optionsType).ToDictionary(f => f.Name);
        Assert.Equal(0.9, (double)fields["adamBeta1"].Default!);
        Assert.Equal(0.999, (double)fields["adamBeta2"].Default!);
        Assert.Equal(1e-8, (double)fields["adamEpsilon"].Default!);
        Assert.Equal(0.0, (double)fields["weightDecay"].Default!);
        Assert.All(["adamBeta1", "adamBeta2", "adamEpsilon", "weightDecay"], n => Assert.Equal("number", fields[n].Type));
    }

    [Theory]
    [InlineData(typeof(SelfPlayOptions))]
    [InlineData(typeof(GrpoOptions))]
    public void The_evaluation_seed_is_an_option_defaulting_to_the_fixed_one(Type optionsType)
    {
        var seed = OptionsSchema.Fields(optionsType).Single(f => f.Name == "evalSeed");
        Assert.Equal(("integer", 7_000_001), (seed.Type, (int)seed.Default!));
    }

    [Fact]
    public void Other_string_and_enum_options_keep_their_types()
    {
        var fields = OptionsSchema.Fields(typeof(GrpoOptions));
        Assert.Equal(("string-list", null), (fields.Single(f => f.Name == "promptSet").Type, fields.Single(f => f.Name == "promptSet").Choices));
        Assert.Equal(["Literal", "AdvantagePenalty", "K3"], fields.Single(f => f.Name == "kl").Choices!);
    }
}
