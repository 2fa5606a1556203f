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
        Assert.Equal(["tinytasks"], domain.Choices!);
    }

    [Fact]
    public void Other_string_and_enum_options_keep_their_types()
    {
        var fields = OptionsSchema.Fields(typeof(GrpoOptions));
        Assert.Equal(("string-list", null), (fields.Single(f => f.Name == "promptSet").Type, fields.Single(f => f.Name == "promptSet").Choices));
        Assert.Equal(["Literal", "AdvantagePenalty", "K3"], fields.Single(f => f.Name == "kl").Choices!);
    }
}
