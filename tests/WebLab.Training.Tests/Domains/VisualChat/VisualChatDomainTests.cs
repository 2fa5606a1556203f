// The visual chat domain on a tiny random Qwen2.5-VL folder: prompts in the model's chat template with the image widened
// to the processor's count, a vision-sr1 step and its evaluation on the built-in sample; EasyR1's layout read from
// Parquet (paths and embedded bytes) and JSON Lines, held-out rows never trained on, and every bad row named.
using Parquet.Serialization;
using SkiaSharp;
using TorchSharp;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Domains.VisualChat;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.VisionSr1;
using WebLab.Training.Models;
using WebLab.Training.Models.Qwen25Vl;
using WebLab.Training.Tokenizers;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Domains.VisualChat;

public sealed class VisualChatDomainTests : IDisposable
{
    readonly TempFolder root = new("visual-chat");
    public void Dispose() => root.Dispose();

    string Model()
    {
        var dir = Path.Combine(root.Path, "model");
        if (!Directory.Exists(dir))
            TinyHfFolders.Write(dir, new TinyHfSpec { Family = Qwen25VlConfig.Type, Hidden = 64, Heads = 4, Intermediate = 96, MaxPositions = 4096, ChatTemplate = ReferenceTemplates.QwenVl });
        return dir;
    }

    VisualChatDomain Domain(string data = "") =>
        (VisualChatDomain)new VisualChatDomain().With(new DomainSetup(new VisualChatOptions { Model = Model(), Data = data }));

    [Fact]
    public void A_first_pass_is_the_chat_template_with_the_image_widened_and_the_instruction()
    {
        var domain = Domain();
        using var model = ModelFamilies.Load(Model());
        var item = domain.TrainingItem(new Random(1));
        var prompt = domain.FirstPass(item, ResponseFormat.SeeThink, model.Processor);
        var tok = (HfTokenizer)domain.Tokenizer;
        int pad = tok.TokenId(ChatTemplate.ImagePad);
        Assert.Equal(16, prompt.Tokens.Count(t => t == pad));                         // a 112 × 112 scene: 8 × 8 patches, 4 × 4 tokens
        Assert.Equal(new PromptMedia(PromptMedia.Image, item.Image, prompt.Media[0].Start, 16), prompt.Media.Single());
        var text = tok.Decode(prompt.Tokens.Where(t => t != pad));
        Assert.StartsWith("<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n<|im_start|>user\n<|vision_start|><|vision_end|>" + item.Question.Trim(), text);
        Assert.EndsWith(VisualPrompts.SeeThink + "<|im_end|>\n<|im_start|>assistant\n", text);
        var second = domain.SecondPass("a red circle", item.Question);
        Assert.Empty(second.Media);
        Assert.Contains("Text description: a red circle", tok.Decode(second.Tokens));
    }

    [Fact]
    public void A_vision_sr1_step_and_the_evaluation_run_on_the_built_in_sample()
    {
        var domain = Domain();
        manual_seed(3);
        using var policy = ModelFamilies.Load(Model());
        using var reference = ModelFamilies.Load(Model());
        foreach (var p in reference.parameters()) p.requires_grad = false;
        var log = new RecordingRunLog();
        var options = new VisionSr1Options { Prompts = 2, Answers = 2, UpdatesPerRollout = 1, LearningRate = 1e-3, MaxResponseTokens = 8, Seed = 3, SampleEvery = 1 };
        var recipe = new VisionSr1Recipe(options, selfReward: true, ResponseFormat.SeeThink, domain, policy, reference, log);
        using var optimizer = optim.AdamW(policy.parameters(), lr: 1e-3);
        policy.train();
        recipe.Step(1, optimizer);
        var names = log.MetricPoints.Select(p => p.Name).ToHashSet();
        Assert.Contains(MetricNames.RewardOverall, names);
        Assert.Contains(MetricNames.DescriptionMissingFrac, names);
        Assert.All(log.MetricPoints, p => Assert.True(double.IsFinite(p.Value), $"{p.Name} = {p.Value}"));
        var sample = SampleExtras.Read<VisualRolloutExtra>(log.SampleRecords.First().ExtraJson)!;
        Assert.StartsWith(SceneCode.Scheme, sample.Image);

        var report = domain.Evaluate(policy, 3, 1, 1);
        Assert.Equal(3, report.Samples.Count);
        Assert.Contains(report.Metrics, m => m.Name == MetricNames.EvalAccuracy);
        // held-out items are TinyScenes' held-out eighth: never a training item
        var heldOut = domain.Evaluation(20, 5)[VisualChatDomain.TestSplit];
        Assert.Equal(20, heldOut.Count);
        Assert.DoesNotContain(Enumerable.Range(0, 300).Select(i => domain.TrainingItem(new Random(i))), t => heldOut.Any(h => h.Image == t.Image && h.Question.StartsWith(t.Question)));
    }

    [Theory]
    [InlineData(VisionArm.ChainOfThought), InlineData(VisionArm.SeeThinkNoSelfReward)]
    public void Vision_r1_and_the_see_think_baseline_step_on_it(VisionArm arm)
    {
        var domain = Domain();
        manual_seed(4);
        using var policy = ModelFamilies.Load(Model());
        using var reference = ModelFamilies.Load(Model());
        foreach (var p in reference.parameters()) p.requires_grad = false;
        var log = new RecordingRunLog();
        var options = new VisionSr1Options { Prompts = 2, Answers = 2, UpdatesPerRollout = 1, LearningRate = 1e-3, MaxResponseTokens = 6, Seed = 4 };
        var method = new VisionSr1Method(arm);
        var recipe = new VisionSr1Recipe(options, selfReward: false, method.Format, domain, policy, reference, log);
        using var optimizer = optim.AdamW(policy.parameters(), lr: 1e-3);
        policy.train();
        recipe.Step(1, optimizer);
        Assert.Contains(log.MetricPoints, p => p.Name == MetricNames.RewardOverall);
        Assert.DoesNotContain(log.MetricPoints, p => p.Name == MetricNames.RewardDescription);   // no second pass without the self-reward
    }

    [Fact]
    public void The_cold_start_sft_trains_the_folders_model_on_the_samples_responses()
    {
        var domain = Domain();
        var log = new RecordingRunLog();
        var options = new WebLab.Training.Methods.Sft.SftOptions { Steps = 2, BatchSize = 2, WarmupSteps = 0, LearningRate = 1e-3, EvalEvery = 2, EvalPerSplit = 2, Seed = 2, Threads = 0 };
        using var model = WebLab.Training.Methods.Sft.SftRecipe.Train(options, domain, domain, "cpu", null, log, CancellationToken.None);
        Assert.Equal(Qwen25VlConfig.Type, model.Family);                                  // the folder's model, not a fresh one
        Assert.Equal(2, log.MetricPoints.Count(p => p.Name == MetricNames.TrainLoss));
        Assert.All(log.MetricPoints.Where(p => p.Name == MetricNames.TrainLoss), p => Assert.True(double.IsFinite(p.Value) && p.Value > 0));
        Assert.Contains(log.MetricPoints, p => p.Name == MetricNames.EvalAccuracy && p.Step == 2);
    }

    static byte[] Png(SKColor colour, int w = 60, int h = 40)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(w, h, SKColorType.Rgba8888, SKAlphaType.Opaque));
        bitmap.Erase(colour);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        return data.ToArray();
    }

    public sealed class ImageCell { public byte[]? bytes { get; set; } public string? path { get; set; } }
    public sealed class ParquetRow { public string? problem { get; set; } public string? answer { get; set; } public List<ImageCell>? images { get; set; } }

    [Fact]
    public async Task Parquet_rows_with_embedded_or_relative_images_are_read_and_split_and_a_bad_row_is_named()
    {
        var folder = Path.Combine(root.Path, "data");
        Directory.CreateDirectory(Path.Combine(folder, "img"));
        File.WriteAllBytes(Path.Combine(folder, "img", "blue.png"), Png(SKColors.Blue));
        var rows = Enumerable.Range(0, 40).Select(i => new ParquetRow
        {
            problem = $"<image>What colour is picture {i}?", answer = i % 2 == 0 ? "red" : "blue",
            images = [i % 2 == 0 ? new ImageCell { bytes = Png(SKColors.Red) } : new ImageCell { path = "img/blue.png" }],
        }).ToList();
        var file = Path.Combine(folder, "all.parquet");
        await ParquetSerializer.SerializeAsync(rows, file);

        var read = VisualDataFile.Read(file);
        Assert.Equal(40, read.Count);
        Assert.Equal("What colour is picture 0?", read[0].Problem);                   // EasyR1's <image> mark removed
        Assert.Equal(Png(SKColors.Red), File.ReadAllBytes(read[0].Images[0]));          // embedded bytes written once, by hash
        Assert.StartsWith(Path.Combine(folder, ".weblab-images"), read[0].Images[0]);
        Assert.Equal(Path.Combine(folder, "img", "blue.png"), read[1].Images[0]);

        var domain = Domain(file);
        var heldOut = domain.Evaluation(100, null)[VisualChatDomain.TestSplit];
        Assert.InRange(heldOut.Count, 1, 15);
        var trained = Enumerable.Range(0, 200).Select(i => domain.TrainingItem(new Random(i)).Question).ToHashSet();
        Assert.Empty(trained.Intersect(heldOut.Select(h => h.Question)));

        rows[7].answer = " ";
        await ParquetSerializer.SerializeAsync(rows, file);
        Assert.Contains("all.parquet, row 8: empty answer", Assert.Throws<InvalidDataException>(() => VisualDataFile.Read(file)).Message);
        rows[7].answer = "red";
        rows[9].images = [new ImageCell { path = "img/missing.png" }];
        await ParquetSerializer.SerializeAsync(rows, file);
        Assert.Contains("row 10, image 1: no image file", Assert.Throws<InvalidDataException>(() => VisualDataFile.Read(file)).Message);
        File.WriteAllText(file, "not parquet at all");
        Assert.Contains("not a readable Parquet file", Assert.Throws<InvalidDataException>(() => VisualDataFile.Read(file)).Message);
    }

    [Fact]
    public void Json_lines_and_a_train_test_folder_are_read_and_bad_data_is_refused_at_launch()
    {
        var folder = Path.Combine(root.Path, "jsonl");
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, "g.png"), Png(SKColors.Green));
        string Line(int i) => $$"""{"problem": "<image>Which colour? Options: (A) red (B) green", "answer": "B", "images": ["g.png"], "response": "<description> green </description> <think> green </think> \\boxed{B}"}""";
        File.WriteAllLines(Path.Combine(folder, "train.jsonl"), Enumerable.Range(0, 5).Select(Line));
        File.WriteAllLines(Path.Combine(folder, "test.jsonl"), [$$"""{"problem": "Colour?", "answer": "green", "images": [{"bytes": "{{Convert.ToBase64String(Png(SKColors.Green, 30, 30))}}"}]}"""]);
        var domain = Domain(folder);
        Assert.Equal("green", domain.Evaluation(10, 1)[VisualChatDomain.TestSplit].Single().Answer);
        using var model = ModelFamilies.Load(Model());
        var example = domain.SupervisedExample(new Random(1), new SupervisedSettings(0, 0, 0, Processor: model.Processor));
        Assert.EndsWith("\\boxed{B}", domain.Tokenizer.Decode(example.Target[..^1]));

        File.WriteAllLines(Path.Combine(folder, "train.jsonl"), [Line(0), """{"problem": "x", "answer": "y", "images": ["nope.png"]}"""]);
        var e = Assert.Throws<ArgumentException>(() => Domain(folder));
        Assert.Contains("train.jsonl, row 2, image 1: no image file", e.Message);
        Assert.Contains("renders no images", Assert.Throws<ArgumentException>(() => new VisualChatDomain().With(new DomainSetup(new VisualChatOptions { Model = ModelWithoutTemplate() }))).Message);
    }

    string ModelWithoutTemplate()
    {
        var dir = Path.Combine(root.Path, "no-template");
        TinyHfFolders.Write(dir, new TinyHfSpec { Family = Qwen25VlConfig.Type, Hidden = 64, Heads = 4, Intermediate = 96 });
        return dir;
    }

    [Theory]
    [InlineData("B", "B", true)]
    [InlineData("(B)", "B", true)]
    [InlineData("B. green", "B", true)]
    [InlineData("Option B", "(B)", true)]
    [InlineData("C", "B", false)]
    [InlineData("blue", "B", false)]
    [InlineData("3.0", "3", true)]
    [InlineData("\\text{Green}.", "green", true)]
    public void Boxed_answers_are_graded_as_text_numbers_or_choice_letters(string answer, string truth, bool right) =>
        Assert.Equal(right, AnswerGrader.Equal(answer, truth));
}
