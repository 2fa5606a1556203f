// TinyScenes as a domain of the lab ("tinyscenes"): the tiny VLM over its word-level tokenizer, the cold start's
// supervised examples (see-think or chain-of-thought answers), and its evaluation (greedy accuracy per held-out split,
// the counter-prior split apart). Its base model is the cold start, shipped once trained (`sft` with domain tinyscenes).
using TorchSharp;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Models.Llama;
using WebLab.Training.Models.TinyVlm;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.TinyScenes;

public sealed class TinyScenesDomain : ISupervisedData, IEvaluator, IVisualDomain
{
    public const string Id = "tinyscenes";
    /// <summary>Where the shipped cold start is copied beside every app (see WebLab.Training.csproj).</summary>
    public static string BaseModelDirectory => Path.Combine(AppContext.BaseDirectory, "models", "tinyscenes-base");

    public static readonly TinyVisionConfig Vision = new();
    public const int MaxPositions = 128;

    readonly TinyScenesTokenizer tokenizer = new();

    public string Name => Id;
    public ITokenizer Tokenizer => tokenizer;

    public string BaseModelFolder => BaseModelDirectory;

    public IPolicy LoadBaseModel(string device) =>
        File.Exists(Path.Combine(BaseModelDirectory, "config.json"))
            ? ModelFamilies.Load(BaseModelDirectory, device)
            : throw new FileNotFoundException($"no TinyScenes cold start at {BaseModelDirectory}: train one with `weblab train --method sft --preset tinyscenes-base` and start from it as a parent");

    /// <summary>The processor of the models this domain makes (<see cref="NewModel"/>): its examples' placeholder runs when
    /// SFT names no model's processor.</summary>
    public IMediaProcessor Processor { get; }

    public TinyScenesDomain() => Processor = new TinyVlmProcessor(Config(new ModelShape(1, Vision.HiddenSize, Vision.NumHeads, 1), tokenizer.VocabSize));

    public IPolicy NewModel(ModelShape shape, string device)
    {
        var model = new TinyVlmForCausalLM(Config(shape, tokenizer.VocabSize));   // on the CPU, from torch's global generator
        if (device != "cpu") model.to(Runtime.TorchRuntime.Device(device));
        return model;
    }

    static TinyVlmConfig Config(ModelShape shape, int vocabulary) => new()
    {
        Text = new LlamaConfig
        {
            VocabSize = vocabulary, HiddenSize = shape.Width, IntermediateSize = shape.Width * 8 / 3 / 8 * 8 + 8,
            NumLayers = shape.Layers, NumHeads = shape.Heads, NumKvHeads = shape.KvHeads, MaxPositions = MaxPositions,
            BosTokenId = TinyScenesTokenizer.Bos, EosTokenIds = [TinyScenesTokenizer.Eos],
        },
        Vision = Vision with { HiddenSize = shape.Width, IntermediateSize = 2 * shape.Width, NumHeads = shape.Heads },
        ImageTokenId = TinyScenesTokenizer.Image,
    };

    /// <summary>The share of cold-start examples that teach the caption reasoner (the second pass and the LSR judge) when
    /// the public mix is off.</summary>
    public const double CaptionShare = 1.0 / 3;

    /// <summary>
    /// One cold-start example. The public mix (Vision-SR1-Cold-Start.yaml: vision_see_think, vision_reasoner,
    /// caption_reasoners) teaches the three responses in equal thirds: the see-think answer, the plain chain of thought
    /// (Vision-R1's format) and the caption reasoner's text-only answer from a description. Without it, see-think two thirds
    /// and the caption reasoner one third (the lab's first cold start); the Think format teaches chain of thought alone.
    /// </summary>
    public SupervisedExample SupervisedExample(Random rng, SupervisedSettings s)
    {
        var item = TinyScenesSplits.Training(rng);
        var description = SceneResponses.Description(item, rng);
        var kind = s.Format == ResponseFormat.Think ? Answer.ChainOfThought
            : s.PublicMix ? (Answer)rng.Next(3)
            : rng.NextDouble() < CaptionShare ? Answer.Caption : Answer.SeeThink;
        var (prompt, response) = kind switch
        {
            Answer.Caption => (SceneResponses.SecondPass(tokenizer, description, item.Question), SceneResponses.CaptionAnswer(item, description)),
            Answer.ChainOfThought => (SceneResponses.FirstPass(tokenizer, item, ResponseFormat.Think, s.Processor ?? Processor), SceneResponses.Response(item, ResponseFormat.Think, description)),
            _ => (SceneResponses.FirstPass(tokenizer, item, ResponseFormat.SeeThink, s.Processor ?? Processor), SceneResponses.Response(item, ResponseFormat.SeeThink, description)),
        };
        return new(prompt, [.. tokenizer.Encode(response), TinyScenesTokenizer.Eos]);
    }

    enum Answer { SeeThink, ChainOfThought, Caption }

    public VisualItem TrainingItem(Random rng) => Visual(TinyScenesSplits.Training(rng));

    public Prompt FirstPass(VisualItem item, ResponseFormat format, IMediaProcessor processor) => SceneResponses.FirstPass(tokenizer, item.Question, item.Image, format, processor);

    public Prompt SecondPass(string description, string question) => SceneResponses.SecondPass(tokenizer, description, question);

    public IReadOnlyDictionary<string, IReadOnlyList<VisualItem>> Evaluation(int perSplit, int? seed) =>
        TinyScenesSplits.Evaluation(perSplit, seed ?? TinyScenesSplits.DefaultEvalSeed).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<VisualItem>)kv.Value.Select(Visual).ToList());

    public bool IsApart(string split) => split == TinyScenesSplits.CounterPrior;

    /// <summary>Exactly (SceneOracle): the question answered about the objects the description states.</summary>
    public bool? Sufficient(VisualItem item, string? description) => SceneOracle.Sufficient(description, item.Question, item.Answer);

    static VisualItem Visual(SceneItem i) => new(i.Question, i.Answer, SceneCode.Source(i.Scene), i.Scene.Describe());

    public EvaluationReport Evaluate(IPolicy model, int perSplit, long step, int seed, SupervisedSettings? settings = null) =>
        TinyScenesEvaluator.Report(model, tokenizer, TinyScenesSplits.Evaluation(perSplit), settings?.Format ?? ResponseFormat.SeeThink, step);
}
