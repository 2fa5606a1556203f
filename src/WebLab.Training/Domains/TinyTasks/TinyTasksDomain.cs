// TinyTasks in the domain catalog: the shipped tiny base model, the character tokenizer, which instructions may be
// trained on, the RL view, SFT's examples and the per-split accuracy evaluation.
using TorchSharp;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.TinyTasks;

public sealed class TinyTasksDomain : IDomain
{
    /// <summary>The catalog name, and the default of every method's `domain` option.</summary>
    public const string Id = "tinytasks";

    public string Name => Id;
    public ITokenizer Tokenizer => TinyTasksTokenizer.Instance;

    public IPolicy LoadBaseModel(string device) => TinyBaseModel.Load(device);

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
        return TinyTaskSplits.IsHeldOut(prompt.Trim()) ? "a held-out evaluation item (training on it would void the win rate)" : null;
    }

    public IRlDomain Rl(RlDomainSettings s) => new TinyTasksRlDomain(s.PartialCredit, s.TrainingMaxLevel ?? TinyTaskLimits.MaxLevel);

    public SupervisedExample SupervisedExample(Random rng, SupervisedSettings s) => TinyTasksSupervised.Example(rng, s);

    public EvaluationReport Evaluate(IPolicy model, int perSplit, long step, int seed) =>
        TinyTasksEvaluator.Report(model, TinyTaskSplits.Evaluation(perSplit), step, seed);
}
