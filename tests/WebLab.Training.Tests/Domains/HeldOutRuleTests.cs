// One held-out rule per domain (issue 25): the same function answers for GRPO's generated prompts, an imported prompt set
// and every Challenger query, on TinyTasks (testbeds and the default domain) and on chat (normalised prompts).
using WebLab.Training.Domains;
using WebLab.Training.Domains.Chat;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;

namespace WebLab.Training.Tests.Domains;

public sealed class HeldOutRuleTests : IDisposable
{
    readonly TempFolder _root = new("weblab-heldout-");
    public void Dispose() => _root.Dispose();

    [Fact]
    public void The_default_domain_holds_out_its_default_items_and_those_of_the_runs_own_evaluation_seed()
    {
        const int seed = 11000001;
        var settings = new RlDomainSettings(PartialCredit: false, EvaluationSeed: seed);
        var rl = DomainCatalog.Default.Get<ISelfPlayGame>(TinyTasksDomain.Id).Rl(settings);
        var own = rl.EvaluationSet(60).Select(p => p.Prompt).Where(p => TinyTaskParser.Parse(p).Task!.Level >= 3).ToList();
        Assert.All(own, p => Assert.True(rl.IsHeldOut(p), p));
        Assert.All(own, p => Assert.True(rl.IsHeldOut("  " + p + " "), p));          // read as the parser reads it
        var fixedItem = TinyTaskSplits.Evaluation().SelectMany(s => s.Items).First(i => i.Level >= 3).Instruction;
        Assert.True(rl.IsHeldOut(fixedItem));
        // GRPO's prompts obey it, with the run's seed: none of 3,000 draws at levels 3–6 is one of its items
        var rng = new Random(1);
        var prompts = DomainCatalog.Default.Get<IPromptSource>(TinyTasksDomain.Id).Prompts(settings);
        var drawn = Enumerable.Range(0, 3000).Select(_ => prompts.Next(rng)).ToHashSet();
        Assert.Empty(drawn.Intersect(own));
        // the pre-launch check of an imported prompt set is the same rule at the default seed
        Assert.Contains("held-out", DomainCatalog.Default.Get<ISelfPlayGame>(TinyTasksDomain.Id).CheckTrainingPrompt(fixedItem));
        Assert.Null(DomainCatalog.Default.Get<ISelfPlayGame>(TinyTasksDomain.Id).CheckTrainingPrompt("rev ab"));
    }

    [Fact]
    public void A_testbed_holds_out_its_share_of_the_space_whatever_the_seed()
    {
        var rl = DomainCatalog.Default.Get<ISelfPlayGame>(TinyTasksTestbed.Frontier.Id).Rl(new RlDomainSettings(PartialCredit: false));
        foreach (var seed in new[] { 7000001, 11000101 })
            Assert.All(TinyTasksTestbed.Frontier.Evaluation(20, seed).SelectMany(s => s.Items), i => Assert.True(rl.IsHeldOut(i.Instruction)));
        Assert.False(rl.IsHeldOut("rev ab"));                                        // levels 1–2 are never held out
        Assert.False(rl.IsHeldOut("not an instruction"));
    }

    [Fact]
    public void The_chat_domain_holds_out_its_evaluation_prompts_after_normalising_whitespace_and_case()
    {
        var evalSet = Path.Combine(_root.Path, "eval.txt");
        File.WriteAllLines(evalSet, ["Name three birds.", "Write a haiku about rain."]);
        var domain = DomainCatalog.Default.Get(ChatDomain.Id);
        Assert.Equal("name three birds.", ChatDomain.HeldOutKey("  Name\tthree \n BIRDS. "));
        var (policy, reward, _) = Chat.ChatDomainTests.Resources(_root.Path);
        var configured = (ISelfPlayGame)domain.With(new DomainSetup(new ChatOptions { Model = policy, RewardModel = reward, EvalSet = evalSet }));
        Assert.Contains("held-out", configured.CheckTrainingPrompt("name THREE  birds."));
        Assert.Null(configured.CheckTrainingPrompt("Name four birds."));
        using var rl = (ChatRlDomain)configured.Rl(new RlDomainSettings(PartialCredit: false));
        Assert.True(rl.IsHeldOut("write a HAIKU about   rain."));
        Assert.False(rl.IsHeldOut("Write a haiku about snow."));
    }
}
