// A run's spec: the method's options record and its domain's, one flat JSON object on the wire. Field names never clash
// between the two; a stored spec reads back to the same run; records stored before the split still read.
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Domains.Chat;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Grpo;

namespace WebLab.Training.Tests.Experiments;

public class RunSpecTests
{
    public static TheoryData<string> Methods() => [.. MethodCatalog.Default.All.Select(m => m.Name)];

    [Theory, MemberData(nameof(Methods))]
    public void No_method_option_shares_a_name_with_any_domain_option(string name)
    {
        // the flat object is split by name: a clash would make a field mean two things
        var method = RunSpec.FieldNames(MethodCatalog.Default.Get(name).OptionsType);
        foreach (var domain in DomainCatalog.Default.All)
            Assert.Empty(method.Intersect(RunSpec.FieldNames(domain.OptionsType)));
    }

    [Theory, MemberData(nameof(Methods))]
    public void Every_preset_reads_back_from_its_stored_json_unchanged(string name)
    {
        var m = MethodCatalog.Default.Get(name);
        foreach (var preset in m.Presets.Keys)
        {
            var spec = RunSpec.Build(m, preset, null, DomainCatalog.Default);
            var stored = spec.ToJson();
            Assert.Equal(stored, RunSpec.FromJson(m, stored, DomainCatalog.Default).ToJson());
            Assert.Equal(MethodOptions.ToJson(spec.Options), MethodOptions.ToJson(RunSpec.FromJson(m, stored).Options));
        }
    }

    [Fact]
    public void The_domain_options_travel_beside_the_methods_and_come_back_typed()
    {
        var m = MethodCatalog.Default.Get("lsp");
        var flat = new JsonObject { ["domain"] = "chat", ["steps"] = 7, ["maxAnswerTokens"] = 48, ["judge"] = "Llm" };
        // checked without the host's catalog (the chat folders do not exist here, so the chat record's own rules refuse it)
        var e = Assert.Throws<OptionsValidationException>(() => RunSpec.Build(m, null, flat));
        Assert.Equal(["evalSet", "model", "rewardModel"], e.Errors.Keys.Order());
        Assert.DoesNotContain("steps", e.Errors.Keys);
    }

    [Fact]
    public void A_record_stored_before_the_split_reads_with_the_chat_options_at_their_defaults_dropped()
    {
        // how a grpo run on tinytasks was stored when the chat options were the method's (their defaults, all of them)
        var before = (JsonObject)JsonNode.Parse(MethodOptions.ToJson(new GrpoOptions { Steps = 9 }))!;
        foreach (var (key, value) in new JsonObject
        {
            ["model"] = "", ["rewardModel"] = "", ["evalSet"] = "", ["judge"] = "Domain", ["chatTemplate"] = "FromTokenizer",
            ["maxQueryTokens"] = 0, ["maxAnswerTokens"] = 0, ["qualityMaxTokens"] = 0,
        }) before[key] = value?.DeepClone();
        var spec = RunSpec.FromJson(MethodCatalog.Default.Get("grpo"), before.ToJsonString(), DomainCatalog.Default);
        Assert.Equal(9, ((GrpoOptions)spec.Options).Steps);
        Assert.IsType<NoDomainOptions>(spec.DomainOptions);
        Assert.Equal(MethodOptions.ToJson(new GrpoOptions { Steps = 9 }), spec.ToJson());      // stored again, only the method's fields

        before["maxAnswerTokens"] = 32;                                                           // set, it is refused by name
        var e = Assert.Throws<OptionsValidationException>(() => RunSpec.FromJson(MethodCatalog.Default.Get("grpo"), before.ToJsonString(), DomainCatalog.Default));
        Assert.Equal("only the chat domain reads this; the tinytasks domain has its own base model and evaluation", e.Errors["maxAnswerTokens"].Single());
        Assert.Single(e.Errors["domain"]);
    }

    [Fact]
    public void A_configured_domain_reads_its_options()
    {
        var spec = new RunSpec(MethodCatalog.Default.Get("grpo"), new GrpoOptions(), NoDomainOptions.Instance);
        Assert.Same(DomainCatalog.Default.Get("tinytasks"), spec.ConfiguredDomain(DomainCatalog.Default));   // nothing to configure
        var chat = new RunSpec(MethodCatalog.Default.Get("grpo"), new GrpoOptions { Domain = ChatDomain.Id }, new ChatOptions { Model = "/m", RewardModel = "/r", EvalSet = "/e" });
        var configured = chat.ConfiguredDomain(DomainCatalog.Default)!;
        Assert.Equal("/m", configured.BaseModelFolder);
        Assert.Equal("/m", configured.TokenizerFolder);
        Assert.Null(DomainCatalog.Default.Get(ChatDomain.Id).BaseModelFolder);                   // the catalog's copy stays unconfigured
        Assert.Contains("no LLM judge configured", Assert.Throws<ArgumentException>(() =>
            (chat with { DomainOptions = new ChatOptions { Model = "/m", RewardModel = "/r", EvalSet = "/e", Judge = JudgeKind.Llm } }).ConfiguredDomain(DomainCatalog.Default)).Message);
    }
}
