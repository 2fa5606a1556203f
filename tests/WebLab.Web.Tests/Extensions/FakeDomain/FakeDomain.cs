// TEST-ONLY domain, added as ARCHITECTURE.md tells a contributor to add one: this folder, and one line in
// Extensions/Registered.cs (as a built-in domain's line in DomainCatalog.BuiltInDomains). It offers one view, an
// evaluator: its base model is a random one-layer Llama over TinyTasks' character vocabulary, and its evaluation is the
// model's mean log-probability of fixed strings. No supervised data, no self-play game, no visual questions. Its own
// options (FakeDomainOptions.cs, in this folder) say how many of the strings it scores.
using TorchSharp;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Tokenizers;
using static TorchSharp.torch;

namespace WebLab.Web.Tests.Extensions.FakeDomain;

public sealed class FakeDomain : IEvaluator
{
    public const string Id = "fake-domain";
    public const string Metric = "eval/fake_logprob";
    internal static readonly string[] Items = ["rev abc", "add 1 2", "cnt aab a"];

    readonly FakeDomainOptions options;

    public FakeDomain() : this(new FakeDomainOptions()) { }
    FakeDomain(FakeDomainOptions options) => this.options = options;

    public string Name => Id;
    public ITokenizer Tokenizer => TinyTasksTokenizer.Instance;
    public Type OptionsType => typeof(FakeDomainOptions);
    public IDomain With(DomainSetup setup) => new FakeDomain((FakeDomainOptions)setup.Options);

    public IPolicy LoadBaseModel(string device)
    {
        var model = new LlamaForCausalLM(TinyBaseModel.Config(1, 16, 2, 1));   // on the CPU, from torch's global generator
        model.to(new Device(device));
        return model;
    }

    /// <summary>Per item: mean log p(token t+1 | tokens ≤ t) of its characters; the metric is their mean.</summary>
    public EvaluationReport Evaluate(IPolicy model, int perSplit, long step, int seed, SupervisedSettings? settings = null)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var device = model.parameters().First().device;
        var scores = new List<double>();
        var samples = new List<SampleRecord>();
        foreach (var item in Items.Take(Math.Min(options.Strings, Math.Max(1, perSplit))))
        {
            var ids = Tokenizer.Encode(item).ToArray();                                  // [T]
            var tokens = tensor(ids.Select(i => (long)i).ToArray(), device: device).unsqueeze(0);     // [1, T]
            var positions = arange(ids.Length, dtype: int64, device: device).unsqueeze(0);         // [1, T]
            var logp = model.Forward(tokens, positions, null, null).log_softmax(-1);                // [1, T, V]
            var next = logp[0].narrow(0, 0, ids.Length - 1).gather(1, tokens[0].narrow(0, 1, ids.Length - 1).unsqueeze(1));   // [T-1, 1]
            var score = next.mean().item<float>();
            scores.Add(score);
            samples.Add(new SampleRecord(step, SampleRole.Eval, item, $"mean log-prob {score:F3}"));
        }
        return new([new MetricPoint(step, Metric, scores.Average())], samples);
    }
}
