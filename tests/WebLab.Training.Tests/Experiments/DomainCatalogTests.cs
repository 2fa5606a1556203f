// The domain catalog: every method has a `domain` option, TinyTasks by default, and an unknown domain is refused by name.
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;

namespace WebLab.Training.Tests.Experiments;

public class DomainCatalogTests
{
    public static TheoryData<string> Methods() => [.. MethodCatalog.Default.All.Select(m => m.Name)];

    [Theory, MemberData(nameof(Methods))]
    public void Every_method_trains_on_tinytasks_by_default_and_the_vision_methods_on_tinyscenes(string name)
    {
        var options = MethodOptions.Build(MethodCatalog.Default.Get(name), null, null);
        Assert.Equal(name is "vision-sr1" or "vision-r1" or "seethink-noselfreward" ? "tinyscenes" : "tinytasks", (string?)options.GetType().GetProperty("Domain")!.GetValue(options));
    }

    [Theory, MemberData(nameof(Methods))]
    public void An_unknown_domain_is_refused_with_the_known_ones(string name)
    {
        var method = MethodCatalog.Default.Get(name);
        var options = MethodOptions.Build(method, null, new JsonObject { ["domain"] = "chess" });   // the options alone are fine
        var e = Assert.Throws<OptionsValidationException>(() => DomainCatalog.Default.Resolve(method, options));
        var message = Assert.Single(e.Errors["domain"]);
        Assert.StartsWith("unknown domain 'chess'; known: ", message);
        Assert.All(DomainCatalog.Default.Names, d => Assert.Contains(d, message));
    }

    [Fact]
    public void The_catalog_hands_out_tinytasks_by_name()
    {
        Assert.IsType<TinyTasksDomain>(DomainCatalog.Default.Get(DomainCatalog.DefaultName));
        Assert.False(DomainCatalog.Default.TryGet("TinyTasks", out _));           // names are exact
        Assert.Contains("unknown domain 'x'", Assert.Throws<KeyNotFoundException>(() => DomainCatalog.Default.Get("x")).Message);
    }

    [Fact]
    public void Tinytasks_refuses_held_out_and_malformed_training_prompts()
    {
        var domain = DomainCatalog.Default.Get<ISelfPlayGame>("tinytasks");
        var heldOut = TinyTaskSplits.Evaluation().SelectMany(s => s.Items).First(i => i.Level >= 3).Instruction;
        Assert.Null(domain.CheckTrainingPrompt("rev abc"));
        Assert.Contains("held-out", domain.CheckTrainingPrompt(heldOut));
        Assert.NotNull(domain.CheckTrainingPrompt("fly me to the moon"));
    }
}
