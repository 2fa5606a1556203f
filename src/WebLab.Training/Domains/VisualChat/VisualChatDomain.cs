// Visual questions with a Hugging Face vision-language model (Qwen2.5-VL), Vision-SR1's real setting: the data in
// EasyR1's public layout (VisualDataFile: Parquet or JSON Lines with problem, answer, images) or the built-in sample,
// prompts in the model's own chat template with the image where the template puts it (widened to the processor's
// count), the text-only second pass in the same template, \boxed{} answers graded by AnswerGrader (normalised text,
// numbers, choice letters). Held out: a folder's test file whole, or a hashed share of a single file; training never
// draws a held-out row. vision-sr1, vision-r1, the see-think baseline and the cold-start sft (rows with a `response`)
// run on it. Its options are VisualChatOptions; in the catalog unconfigured, a run gets a configured copy through With.
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Generation;
using WebLab.Training.Models;
using WebLab.Training.Models.Qwen25Vl;
using WebLab.Training.Tokenizers;

namespace WebLab.Training.Domains.VisualChat;

public sealed class VisualChatDomain : ISupervisedData, IEvaluator, IVisualDomain
{
    public const string Id = "visual-chat";
    public const string TestSplit = "test";
    public const int DefaultEvalSeed = 7300001;
    /// <summary>Tokens an answer may take, for the memory plan (the methods' own limits are below it).</summary>
    const int AnswerBudget = 512;

    readonly VisualChatOptions _o;
    readonly Lazy<HfTokenizer> _tokenizer;
    readonly Lazy<(IReadOnlyList<VisualRow> Train, IReadOnlyList<VisualRow> HeldOut)?> _rows;
    readonly Lazy<(int Sequence, int Patches)> _plan;

    public VisualChatDomain() : this(new VisualChatOptions()) { }

    VisualChatDomain(VisualChatOptions o)
    {
        _o = o;
        _tokenizer = new(() => HfTokenizer.FromFolder(Need(_o.Model)));
        _rows = new(() => string.IsNullOrWhiteSpace(_o.Data) ? null : Load(_o.Data, _o.HeldOutShare));
        _plan = new(Plan);                                                   // read once: a launch plans several alternatives
    }

    static string Need(string? model) =>
        string.IsNullOrWhiteSpace(model) ? throw new ArgumentException("the visual chat domain needs the model option: a vision-language model's Hugging Face folder (Qwen2.5-VL)") : model;

    public string Name => Id;
    public ITokenizer Tokenizer => _tokenizer.Value;
    public Type OptionsType => typeof(VisualChatOptions);
    public string? BaseModelFolder => string.IsNullOrEmpty(_o.Model) ? null : _o.Model;
    public string? TokenizerFolder => BaseModelFolder;

    public IDomain With(DomainSetup setup)
    {
        if (setup.Options is not VisualChatOptions o) throw new ArgumentException($"the visual chat domain takes VisualChatOptions; got {setup.Options.GetType().Name}");
        var type = ModelFamilies.ModelType(Need(o.Model));
        if (type != Qwen25VlConfig.Type)
            throw new ArgumentException($"model: '{o.Model}' is model_type '{type ?? "unknown"}', which reads no images here; the visual chat domain needs a {Qwen25VlConfig.Type} folder");
        var domain = new VisualChatDomain(o);
        if (domain._tokenizer.Value.Chat is not { ReadsImages: true })
            throw new ArgumentException($"model: the chat template of '{o.Model}' renders no images ({domain._tokenizer.Value.ChatUnavailableReason ?? domain._tokenizer.Value.Chat!.Name}); the visual chat domain needs Qwen2.5-VL's");
        try { _ = domain._rows.Value; }                                          // bad data is refused at launch, naming file and row
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException) { throw new ArgumentException($"data: {e.Message}", e); }
        return domain;
    }

    public IPolicy LoadBaseModel(string device) => ModelFamilies.Load(Need(_o.Model), device);

    /// <summary>The domain's model is the one its folder holds: SFT without a parent starts from it (the shape is ignored).</summary>
    public IPolicy NewModel(ModelShape shape, string device) => LoadBaseModel(device);

    /// <summary>A folder's train.* and test.* (Parquet or JSON Lines), or one file split by a hash of each row.</summary>
    static (IReadOnlyList<VisualRow>, IReadOnlyList<VisualRow>) Load(string data, double heldOutShare)
    {
        if (Directory.Exists(data))
        {
            string? Find(string stem) => new[] { ".parquet", ".jsonl" }.Select(e => Path.Combine(data, stem + e)).FirstOrDefault(File.Exists);
            var train = Find("train") ?? throw new InvalidDataException($"'{data}' has no train.parquet or train.jsonl");
            var test = Find("test");
            if (test is not null) return (VisualDataFile.Read(train), VisualDataFile.Read(test));
            data = train;
        }
        var rows = VisualDataFile.Read(data);
        var held = rows.Where(r => IsHeldOut(r, heldOutShare)).ToList();
        var rest = rows.Where(r => !IsHeldOut(r, heldOutShare)).ToList();
        if (held.Count == 0 || rest.Count == 0)
            throw new InvalidDataException($"{data}: {rows.Count} rows give {rest.Count} to train on and {held.Count} held out at heldOutShare {heldOutShare}; give more rows or a folder with train and test files");
        return (rest, held);
    }

    /// <summary>Held out when a well-mixed hash of the problem and the image's name falls in the share.</summary>
    public static bool IsHeldOut(VisualRow r, double share) =>
        TinyTaskHeldOut.Hash(r.Problem + "|" + string.Join("|", r.Images.Select(Path.GetFileName))) % 10_000 < share * 10_000;

    static VisualItem Item(VisualRow r) => r.Images.Count == 1
        ? new VisualItem(r.Problem, r.Answer, r.Images[0], r.File == BuiltInSample.File ? SceneCode.Decode(r.Images[0]).Describe() : "")
        : throw new InvalidDataException($"{r.File}, row {r.Row}: {r.Images.Count} images; the vision methods read one image a question");

    public VisualItem TrainingItem(Random rng) => _rows.Value is { } rows ? Item(rows.Train[rng.Next(rows.Train.Count)]) : Item(BuiltInSample.Training(rng, 0));

    /// <summary>The image, then the question and the format's instruction, as the user's turn of the model's chat template.</summary>
    public Prompt FirstPass(VisualItem item, ResponseFormat format, IMediaProcessor processor)
    {
        var tok = _tokenizer.Value;
        var text = VisualPrompts.FirstPass(item.Question, format == ResponseFormat.SeeThink ? VisualPrompts.SeeThink : VisualPrompts.ChainOfThought);
        var ids = tok.Encode(Chat.Render([new ChatMessage("user", text, Images: 1)]));
        return Prompt.WithImages(ids, tok.TokenId(ChatTemplate.ImagePad), [item.Image], processor);
    }

    public Prompt SecondPass(string description, string question) =>
        Prompt.Text(_tokenizer.Value.Encode(Chat.Render([new ChatMessage("user", VisualPrompts.CaptionReasoner(description, question))])));

    ChatTemplate Chat => _tokenizer.Value.Chat is { ReadsImages: true } chat ? chat
        : throw new InvalidDataException($"the chat template of '{_o.Model}' renders no images; the visual chat domain needs Qwen2.5-VL's");

    public IReadOnlyDictionary<string, IReadOnlyList<VisualItem>> Evaluation(int perSplit, int? seed)
    {
        int s = seed ?? DefaultEvalSeed;
        var rows = _rows.Value is { } r
            ? r.HeldOut.OrderBy(x => TinyTaskHeldOut.Hash($"{s}|{x.File}|{x.Row}")).Take(perSplit).ToList()
            : BuiltInSample.HeldOut(perSplit, s);
        return new Dictionary<string, IReadOnlyList<VisualItem>> { [TestSplit] = rows.Select(Item).ToList() };
    }

    public bool IsApart(string split) => false;

    /// <summary>The built-in sample's questions (not its multiple-choice ones) are judged exactly by TinyScenes' oracle.</summary>
    public bool? Sufficient(VisualItem item, string? description) =>
        item.Image.StartsWith(SceneCode.Scheme, StringComparison.Ordinal) && !item.Question.Contains(" Options: ", StringComparison.Ordinal)
            ? SceneOracle.Sufficient(description, item.Question, item.Answer) : null;

    /// <summary>A cold-start example: a training row's first pass and its `response` column as the target.</summary>
    public SupervisedExample SupervisedExample(Random rng, SupervisedSettings settings)
    {
        var row = _rows.Value is { } rows ? rows.Train[rng.Next(rows.Train.Count)] : BuiltInSample.Training(rng, 0);
        if (row.Response is null)
            throw new InvalidDataException($"{row.File}, row {row.Row}: no `response` column; a cold start (sft) needs target answers, as Vision-SR1-Cold-9K has");
        var prompt = FirstPass(Item(row), settings.Format, settings.Processor ?? throw new ArgumentException("the visual chat domain's examples need the model's processor"));
        return new(prompt, [.. _tokenizer.Value.Encode(row.Response), _tokenizer.Value.EosId]);
    }

    /// <summary>Greedy first-pass accuracy on the held-out rows (eval/accuracy), the share in the format and, for
    /// see-think, of answers without a description.</summary>
    public EvaluationReport Evaluate(IPolicy model, int perSplit, long step, int seed, SupervisedSettings? settings = null)
    {
        var format = settings?.Format ?? ResponseFormat.SeeThink;
        var items = Evaluation(perSplit, null)[TestSplit];
        var texts = GreedyTexts.Of(model, items.Select(i => FirstPass(i, format, model.Processor)).ToList(), Tokenizer, 256);
        var graded = items.Select((item, k) => (item, text: texts[k], grade: VisualAnswers.Grade(texts[k], format, item.Answer), description: VisualPrompts.Description(texts[k]))).ToList();
        var points = new List<MetricPoint>
        {
            new(step, MetricNames.EvalAccuracyOf(TestSplit), graded.Average(g => g.grade.Right ? 1.0 : 0.0)),
            new(step, MetricNames.EvalAccuracy, graded.Average(g => g.grade.Right ? 1.0 : 0.0)),
            new(step, MetricNames.EvalFormat, graded.Average(g => g.grade.Formatted ? 1.0 : 0.0)),
        };
        if (format == ResponseFormat.SeeThink) points.Add(new(step, MetricNames.EvalDescriptionMissingFrac, graded.Average(g => g.description.Missing ? 1.0 : 0.0)));
        var samples = graded.Select(g => new SampleRecord(step, SampleRole.Eval, g.item.Question, g.text, g.grade.Right ? 1 : 0, g.grade.Right,
            SampleExtras.Write(new VisualEvalExtra(TestSplit, g.item.Answer, g.item.Image, g.description.Missing ? null : g.description.Description, g.item.Truth)))).ToList();
        return new(points, samples);
    }

    // The memory plan: the longest first pass (chat frame, question, image tokens) and an answer, and the image's patches.
    public int? MaxSequence => _plan.Value.Sequence;
    public int? MaxImagePatches => _plan.Value.Patches;

    (int Sequence, int Patches) Plan()
    {
        try
        {
            var config = Qwen25VlConfig.FromJson(File.ReadAllText(Path.Combine(Need(_o.Model), "config.json")));
            var processor = new Qwen25VlProcessor(config, Qwen25VlImageConfig.Read(_o.Model));
            var rows = _rows.Value is { } r ? r.Train.Concat(r.HeldOut).ToList() : [BuiltInSample.Training(new Random(1), 0)];
            int patches = rows.SelectMany(x => x.Images).Distinct().Max(i => processor.GridOf(i).Patches);
            var frame = _tokenizer.Value.Encode(Chat.Render([new ChatMessage("user", VisualPrompts.FirstPass("", VisualPrompts.SeeThink), Images: 1)])).Length;
            int question = rows.Max(x => _tokenizer.Value.Encode(x.Problem).Length);
            return (frame + question + patches / (config.Vision.SpatialMergeSize * config.Vision.SpatialMergeSize) + AnswerBudget, patches);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or ArgumentException or System.Text.Json.JsonException) { return (2048 + AnswerBudget, 0); }
    }
}
