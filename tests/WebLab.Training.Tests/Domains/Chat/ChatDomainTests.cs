// The chat domain end to end on tiny Hugging Face folders made here (a Qwen2 policy with the real Qwen2.5 chat template,
// a Llama reward model with the real Llama 3 one): LSP with Box 1 and Box 3, the reward model's scores, evaluation
// judged by an LLM behind a real chat-completions server on loopback; plus the evaluation-set formats and LSP's prompts.
using System.Text.Json.Nodes;
using WebLab.Training.Domains;
using WebLab.Training.Domains.Chat;
using WebLab.Training.Experiments;
using WebLab.Training.Judges;
using WebLab.Training.Methods.SelfPlay;
using WebLab.Training.Models;
using WebLab.Training.Tests.Judges;
using Xunit;

namespace WebLab.Training.Tests.Domains.Chat;

public sealed class ChatDomainTests : IDisposable
{
    readonly TempFolder _root = new("weblab-chat-");
    public void Dispose() => _root.Dispose();

    /// <summary>Policy (qwen2), reward model (llama) and a JSON Lines evaluation set of two splits under the test folder.</summary>
    public static (string Policy, string Reward, string EvalSet) Resources(string root)
    {
        var policy = Path.Combine(root, "policy");
        TinyHfFolders.Write(policy, new TinyHfSpec { Family = "qwen2", MaxPositions = 4096, ChatTemplate = Fixtures.ChatTemplate("qwen2_5"), Seed = 3 });
        var reward = Path.Combine(root, "reward");
        TinyHfFolders.Write(reward, new TinyHfSpec { RewardModel = true, MaxPositions = 4096, ChatTemplate = Fixtures.ChatTemplate("llama3"), Seed = 4 });
        var evalSet = Path.Combine(root, "eval.jsonl");
        File.WriteAllLines(evalSet, Enumerable.Range(0, 6).Select(i =>
            new JsonObject { ["instruction"] = $"Name {i + 2} colours.", ["dataset"] = i % 2 == 0 ? "koala" : "vicuna", ["output"] = "unused" }.ToJsonString()));
        return (policy, reward, evalSet);
    }

    [Fact]
    public void Lsp_trains_a_hugging_face_policy_against_a_reward_model_and_an_llm_judge()
    {
        var (policy, reward, evalSet) = Resources(_root.Path);
        using var judge = new LoopbackChatServer(user => user.Length % 2 == 0 ? "a" : "b");
        var options = new SelfPlayOptions
        {
            Domain = ChatDomain.Id, Steps = 2, Queries = 2, Answers = 2,
            EvalEvery = 2, EvalPerSplit = 2, EvalTemperature = 1.0, LearningRate = 1e-3, SampleEvery = 1, CheckpointEvery = 0,
        };
        var chat = new ChatOptions
        {
            Model = policy, RewardModel = reward, EvalSet = evalSet, Judge = JudgeKind.Llm, MaxQueryTokens = 6, MaxAnswerTokens = 6, QualityMaxTokens = 6,
        };
        var log = new RecordingRunLog();
        var settings = new LlmJudgeSettings { BaseUrl = judge.BaseUrl, Model = "judge-test", InitialBackoff = TimeSpan.Zero };
        var run = Path.Combine(_root.Path, "run");
        Directory.CreateDirectory(run);

        new SelfPlayMethod(withQuality: true).Run(new ExperimentContext(1, options, run, "cpu", null, log, Judge: settings,
            Domain: new ChatDomain().With(new DomainSetup(chat, "cpu", settings))), options, CancellationToken.None);

        // the reward model scored the answers (real-valued, not a verifier's 0/1), and Box 3's judgements were parsed or counted
        var solverRewards = log.Series(MetricNames.SolverRewardMean);
        Assert.Equal(2, solverRewards.Count);
        Assert.All(solverRewards, p => Assert.True(double.IsFinite(p.Value)));
        Assert.Equal(2, log.Series(MetricNames.QualityUnparsableFrac).Count);
        Assert.Contains(log.SampleRecords, s => s.Role == SampleRole.Challenger);

        // evaluation: 2 per split × 2 splits, judged by the LLM unless identical
        var verdicts = log.VerdictRecords.ToArray();
        Assert.Equal(4, verdicts.Length);
        Assert.Equal(["koala", "vicuna"], verdicts.Select(v => v.Split).Distinct().Order());
        var sent = verdicts.Count(v => v.TrainedAnswer != v.BaseAnswer);
        Assert.Equal(sent, judge.Requests);
        Assert.All(verdicts.Where(v => v.TrainedAnswer != v.BaseAnswer), v => Assert.Equal("llm:judge-test", v.Judge));
        Assert.Single(log.Series(MetricNames.EvalWinRate));

        // the final checkpoint is a usable folder: weights, config and the policy's tokenizer files
        var final = Path.Combine(run, "checkpoints", CheckpointKinds.Final);
        Assert.True(File.Exists(Path.Combine(final, "tokenizer.json")) && File.Exists(Path.Combine(final, "tokenizer_config.json")));
        using var reloaded = ModelFamilies.Load(final);
        Assert.Equal("llama", reloaded.Family);
    }

    [Fact]
    public void Without_an_llm_judge_the_reward_model_compares_answers()
    {
        var (policy, reward, evalSet) = Resources(_root.Path);
        var domain = new ChatDomain().With(new DomainSetup(new ChatOptions { Model = policy, RewardModel = reward, EvalSet = evalSet }));
        using var rl = (ChatRlDomain)((ISelfPlayGame)domain).Rl(new RlDomainSettings(PartialCredit: false));
        var (verdict, why) = rl.Judge.Compare("Say hi", "hi", "hello there", trainedShownFirst: true);
        Assert.Contains(verdict, Enum.GetValues<VerdictOutcome>());
        Assert.StartsWith("reward model: trained ", why);
        Assert.Equal(4, rl.EvaluationSet(2).Count);
        Assert.Equal([null], rl.Tasks(useTaskSlot: true));
        Assert.Equal("reward-model", rl.Reward.Name);
    }

    [Fact]
    public void The_plans_row_lengths_are_the_prompts_the_recipe_writes()
    {
        var (policy, reward, evalSet) = Resources(_root.Path);
        var domain = new ChatDomain().With(new DomainSetup(new ChatOptions
        {
            Model = policy, RewardModel = reward, EvalSet = evalSet, MaxQueryTokens = 20, MaxAnswerTokens = 30, QualityMaxTokens = 10,
        }));
        using var rl = (ChatRlDomain)((ISelfPlayGame)domain).Rl(new RlDomainSettings(PartialCredit: false));
        Assert.Equal(rl.ChallengerPrompt(null).Length + 20, domain.MaxChallengerSequence);              // Box 1, then a query
        Assert.Equal(rl.SolverPrompt("").Length + 20 + 30, domain.MaxSequence);                         // a query in the template, then an answer
        // the longest generation is Box 3's verdict: Box 3 holding a query and an answer, then the judge's reply (this
        // byte-level tokenizer writes about a token a character)
        Assert.True(domain.MaxRolloutSequence > LspPrompts.Quality("", "").Length / 2 + 20 + 30 + 10);
        Assert.True(domain.MaxRolloutSequence >= Math.Max(domain.MaxChallengerSequence!.Value, domain.MaxSequence!.Value));
    }

    [Fact]
    public void Missing_resources_are_named()
    {
        var (policy, reward, evalSet) = Resources(_root.Path);
        var chat = new ChatDomain();
        Assert.Contains("needs the model option", Assert.Throws<ArgumentException>(() => chat.With(new DomainSetup(new ChatOptions { RewardModel = reward, EvalSet = evalSet }))).Message);
        Assert.Contains("needs the rewardModel option", Assert.Throws<ArgumentException>(() => chat.With(new DomainSetup(new ChatOptions { Model = policy, EvalSet = evalSet }))).Message);
        Assert.Contains("no LLM judge configured", Assert.Throws<ArgumentException>(() =>
            chat.With(new DomainSetup(new ChatOptions { Model = policy, RewardModel = reward, EvalSet = evalSet, Judge = JudgeKind.Llm }))).Message);
        Assert.Contains("the tinytasks domain takes no options", Assert.Throws<ArgumentException>(() =>
            DomainCatalog.Default.Get("tinytasks").With(new DomainSetup(new ChatOptions { Model = policy }))).Message);
    }

    [Theory]
    [InlineData("lsp")]
    [InlineData("grpo")]
    public void Options_are_checked_across_fields_before_launch(string method)
    {
        var m = MethodCatalog.Default.Get(method);
        var e = Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(m, null, new JsonObject { ["domain"] = "chat", ["model"] = _root.Path }));
        Assert.Contains("has no config.json", e.Errors["model"].Single());
        Assert.Contains("needs the reward model's", e.Errors["rewardModel"].Single());
        Assert.Contains("needs an evaluation set", e.Errors["evalSet"].Single());

        var (policy, reward, evalSet) = Resources(_root.Path);
        // the chat options are the domain's record, not the method's; on the wire the spec is one flat object
        var ok = RunSpec.Build(m, null, new JsonObject { ["domain"] = "chat", ["model"] = policy, ["rewardModel"] = reward, ["evalSet"] = evalSet, ["judge"] = "Llm" });
        Assert.Equal(new ChatOptions { Model = policy, RewardModel = reward, EvalSet = evalSet, Judge = JudgeKind.Llm }, ok.DomainOptions);
        var stored = RunSpec.FromJson(m, ok.ToJson());                           // as the job and `train --resume` read it
        Assert.Equal(ok.DomainOptions, stored.DomainOptions);
        Assert.Equal(ok.ToJson(), stored.ToJson());
        Assert.Equal(policy, (string)ok.ToJsonObject()["model"]!);

        var builtIn = Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(m, "tiny-cpu", new JsonObject { ["judge"] = "Llm", ["rewardModel"] = reward }));
        Assert.Contains("only the chat domain reads this", builtIn.Errors["judge"].Single());
        Assert.Contains("only the chat domain reads this", builtIn.Errors["rewardModel"].Single());
        Assert.Equal(2, builtIn.Errors["domain"].Length);                          // both rules name the domain too
        // another domain's options at their defaults say nothing (records stored before the split carry them all)
        var legacy = RunSpec.Build(m, "tiny-cpu", new JsonObject { ["judge"] = "Domain", ["model"] = "", ["maxQueryTokens"] = 0 });
        Assert.IsType<NoDomainOptions>(legacy.DomainOptions);
        Assert.False(legacy.ToJsonObject().ContainsKey("model"));
        Assert.Contains("'nonsense' is not an option of the", Assert.Throws<OptionsValidationException>(() =>
            RunSpec.Build(m, "tiny-cpu", new JsonObject { ["nonsense"] = 1 })).Errors["nonsense"].Single());
    }

    [Fact]
    public void Evaluation_sets_read_alpaca_eval_json_lines_and_plain_lists()
    {
        var json = EvalSetFile.Parse("""[{"instruction": "A?", "dataset": "oasst"}, {"instruction": "B?"}]""", ".json");
        Assert.Equal([new EvalPrompt("oasst", "A?"), new EvalPrompt(EvalSetFile.DefaultSplit, "B?")], json);
        Assert.Equal([new EvalPrompt("default", "one"), new EvalPrompt("default", "two")], EvalSetFile.Parse("one\n\n two \r\n", ".txt"));
        Assert.Contains(":2: expected an object", Assert.Throws<InvalidDataException>(() => EvalSetFile.Parse("{\"instruction\": \"x\"}\n[1]\n", ".jsonl")).Message);
        Assert.Contains("item 1: the instruction is empty", Assert.Throws<InvalidDataException>(() => EvalSetFile.Parse("""[{"instruction": "x"}, {"instruction": " "}]""", ".json")).Message);
        Assert.Contains("not a split name", Assert.Throws<InvalidDataException>(() => EvalSetFile.Parse("""[{"instruction": "x", "dataset": "../x"}]""", ".json")).Message);
        Assert.Contains("'.csv' is not", Assert.Throws<InvalidDataException>(() => EvalSetFile.Parse("x", ".csv")).Message);
        Assert.Contains("no prompts", Assert.Throws<InvalidDataException>(() => EvalSetFile.Parse("[]", ".json")).Message);
    }

    [Fact]
    public void Verdicts_export_as_alpaca_eval_annotations()
    {
        var verdicts = new[]
        {
            new VerdictRecord(10, "koala", "Q1", "trained 1", "base 1", true, "llm:j", VerdictOutcome.Win, "why"),
            new VerdictRecord(10, "koala", "Q2", "same", "same", false, "llm:j", VerdictOutcome.Tie, "identical answers"),
            new VerdictRecord(10, "oasst", "Q3", "t", "b", false, "llm:j", VerdictOutcome.Loss, "why"),
        };
        var rows = JsonNode.Parse(EvalSetFile.Annotations(verdicts, "run-7"))!.AsArray();
        Assert.Equal([2.0, 1.5, 1.0], rows.Select(r => r!["preference"]!.GetValue<double>()));
        Assert.Equal(("base 1", "trained 1", "run-7", "koala"), (rows[0]!["output_1"]!.GetValue<string>(), rows[0]!["output_2"]!.GetValue<string>(), rows[0]!["generator_2"]!.GetValue<string>(), rows[0]!["dataset"]!.GetValue<string>()));
    }

    [Fact]
    public void Lsp_prompts_are_the_papers_with_only_the_slots_filled()
    {
        var box1 = LspPrompts.Challenger("", "");
        Assert.StartsWith("<ChallengerPrompt>\nBackground\n", box1);
        Assert.Contains("[Start Generation] '' [End Generation]", box1);
        Assert.Contains("{ice cream flavor}", box1);                               // the example placeholder stays
        var box3 = LspPrompts.Quality("Add 2 and 2.", "4");
        Assert.Contains("<Instruction>Add 2 and 2.</Instruction>\n<Response>4</Response>", box3);
        Assert.Equal(4, LspPrompts.ParseScore("1+0+1+0+1+1+0=4 <Score>4</Score>"));
        Assert.Equal(7, LspPrompts.ParseScore("<Score>3</Score> then corrected <Score> 7 </Score>"));
        Assert.Null(LspPrompts.ParseScore("<Score>9</Score>"));                    // off the 0–7 scale
        Assert.Null(LspPrompts.ParseScore("Score: 5"));
    }
}
