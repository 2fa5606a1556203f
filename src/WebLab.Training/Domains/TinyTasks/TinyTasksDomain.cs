// TinyTasks in the domain catalog: a base model, the character tokenizer, which instructions may be trained on, the RL
// view, SFT's examples and the per-split accuracy evaluation. Two entries: "tinytasks" (the shipped levels-1–2 base and
// the default evaluation, levels 1–6 per family) and each testbed (TinyTasksTestbed: its own base, judged in distribution).
using TorchSharp;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.TinyTasks;

/// <param name="testbed">Null: the shipped base and the default evaluation splits.</param>
public sealed class TinyTasksDomain(TinyTasksTestbed? testbed = null) : ISupervisedData, IEvaluator, IPromptSource
{
    /// <summary>The catalog name, and the default of every method's `domain` option.</summary>
    public const string Id = "tinytasks";

    public string Name => testbed?.Id ?? Id;
    public ITokenizer Tokenizer => TinyTasksTokenizer.Instance;
    public TinyTasksTestbed? Testbed => testbed;

    public string BaseModelFolder => testbed is null ? TinyBaseModel.CurrentPath : TinyBaseModel.TestbedPath(testbed);

    public IPolicy LoadBaseModel(string device) =>
        testbed is null ? TinyBaseModel.Load(device) : TinyBaseModel.LoadFrom(TinyBaseModel.TestbedPath(testbed), device);

    public IPolicy NewModel(ModelShape s, string device)
    {
        var model = new LlamaForCausalLM(TinyBaseModel.Config(s.Layers, s.Width, s.Heads, s.KvHeads));
        model.to(new torch.Device(device));
        return model;
    }

    /// <summary>Not an instruction (the parser's reason), or a held-out evaluation item; else null.</summary>
    public string? CheckTrainingPrompt(string prompt)
    {
        var parsed = TinyTaskParser.Parse(prompt);
        if (!parsed.IsValid) return parsed.Reason;
        // the RL view's rule at the default evaluation seed (a run's own seed is checked again when it starts)
        return Rl(new RlDomainSettings(PartialCredit: false)).IsHeldOut(prompt) ? "a held-out evaluation item (training on it would void the win rate)" : null;
    }

    public IRlDomain Rl(RlDomainSettings s) => View(s);

    /// <summary>GRPO's data: the RL view's generator (levels, held-out items excluded).</summary>
    public IPromptData Prompts(RlDomainSettings s) => View(s);

    TinyTasksRlDomain View(RlDomainSettings s) =>
        new TinyTasksRlDomain(s.PartialCredit, s.TrainingMaxLevel ?? TinyTaskLimits.MaxLevel, testbed, s.EvaluationSeed ?? TinyTaskSplits.EvaluationSeed,
            s.TrainingMinLevel ?? TinyTaskLimits.MinLevel);

    public SupervisedExample SupervisedExample(Random rng, SupervisedSettings s) => TinyTasksSupervised.Example(rng, s, testbed);

    public EvaluationReport Evaluate(IPolicy model, int perSplit, long step, int seed, SupervisedSettings? settings = null) =>
        TinyTasksEvaluator.Report(model, EvaluationSplits(perSplit), step, seed);

    /// <summary>This domain's evaluation splits at <paramref name="evalSeed"/> (the default: the fixed seed).</summary>
    public IReadOnlyList<TinyTaskSplit> EvaluationSplits(int perSplit, int evalSeed = TinyTaskSplits.EvaluationSeed) =>
        testbed is null ? TinyTaskSplits.Evaluation(perSplit, evalSeed) : testbed.Evaluation(perSplit, evalSeed);
}
