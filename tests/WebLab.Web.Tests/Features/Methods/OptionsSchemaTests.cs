// The form's fields come from the options records: the domain option is a choice among the catalog's domains.
using WebLab.Training.Domains.Chat;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Grpo;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Methods.Sft;
using WebLab.Web.Features.Methods;

namespace WebLab.Web.Tests.Features.Methods;

public class OptionsSchemaTests
{
    // a catalog of its own, so a new built-in domain changes nothing here
    static readonly DomainCatalog Domains = new([new TinyTasksDomain(), new TinyScenesDomain(), new ChatDomain()]);

    [Theory]
    [InlineData("sft", new[] { "tinytasks", "tinyscenes" })]                 // supervised data and an evaluator
    [InlineData("lsp", new[] { "tinytasks", "chat" })]                       // a self-play game
    [InlineData("grpo", new[] { "tinytasks", "chat" })]                      // a self-play game (chat with an imported prompt set)
    [InlineData("vision-sr1", new[] { "tinyscenes" })]                       // visual questions
    public void The_domain_option_offers_the_domains_that_give_what_the_method_needs(string method, string[] offered)
    {
        var domain = OptionsSchema.Fields(MethodCatalog.Default.Get(method), Domains).Single(f => f.Name == "domain");
        Assert.Equal("enum", domain.Type);
        Assert.Equal(offered, domain.Choices!);
    }

    static IReadOnlyList<OptionField> Fields(Type optionsType) =>
        OptionsSchema.Fields(MethodCatalog.Default.All.First(m => m.OptionsType == optionsType), DomainCatalog.Default);

    [Theory]
    [InlineData(typeof(SftOptions))]
    [InlineData(typeof(SelfPlayOptions))]
    [InlineData(typeof(GrpoOptions))]
    public void AdamW_settings_are_options_with_TorchSharps_defaults(Type optionsType)
    {
        // TorchSharp 0.107's optim.AdamW defaults: β 0.9 / 0.999, ε 1e-8, weight decay 0 (PyTorch's AdamW decays 0.01)
        var fields = Fields(optionsType).ToDictionary(f => f.Name);
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
        var seed = Fields(optionsType).Single(f => f.Name == "evalSeed");
        Assert.Equal(("integer", 7_000_001), (seed.Type, (int)seed.Default!));
    }

    [Fact]
    public void Other_string_and_enum_options_keep_their_types()
    {
        var fields = Fields(typeof(GrpoOptions));
        Assert.Equal(("string-list", null), (fields.Single(f => f.Name == "promptSet").Type, fields.Single(f => f.Name == "promptSet").Choices));
        Assert.Equal(["Literal", "AdvantagePenalty", "K3"], fields.Single(f => f.Name == "kl").Choices!);
    }
}
