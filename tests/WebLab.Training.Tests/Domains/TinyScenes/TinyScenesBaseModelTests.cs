// The shipped TinyScenes cold start: a tiny VLM over this build's tokenizer that answers in the see-think format, reads
// its images well above chance, and leaves room on both of the axes: accuracy below the ceiling, and the
// counter-prior split (yes/no answered against the language prior) below the in-distribution one.
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Models;
using WebLab.Training.Models.TinyVlm;

namespace WebLab.Training.Tests.Domains.TinyScenes;

public sealed class TinyScenesBaseModelTests
{
    [Fact]
    public void The_cold_start_reads_its_images_answers_in_format_and_leaves_room()
    {
        using var model = new TinyScenesDomain().LoadBaseModel("cpu");
        var vlm = Assert.IsType<TinyVlmForCausalLM>(model);
        Assert.Equal(new TinyScenesTokenizer().VocabSize, vlm.Config.Text.VocabSize);
        // the vocabulary the shipped base was trained over, in id order: a change (even a reordering) needs a new base
        var fingerprint = new TinyScenesTokenizer().Fingerprint;
        Assert.True(fingerprint == "52ec71078ec10695128a6675af21b40015bd7d8320f15ff22a2455cbc256e7cb", $"vocabulary {fingerprint}");

        var answers = TinyScenesEvaluator.Answers(model, new TinyScenesTokenizer(), TinyScenesSplits.Evaluation(40), ResponseFormat.SeeThink);
        double Accuracy(Func<TinyScenesEvaluator.Answer, bool> which) => answers.Where(which).Average(a => a.Correct ? 1.0 : 0.0);
        var format = answers.Average(a => a.Formatted ? 1.0 : 0.0);
        var inDistribution = Accuracy(a => a.Split != TinyScenesSplits.CounterPrior);
        var counterPrior = Accuracy(a => a.Split == TinyScenesSplits.CounterPrior);
        var color = Accuracy(a => a.Split == "color");
        Assert.True(format >= 0.95, $"format {format:P0}");
        Assert.True(color >= 0.5, $"colour {color:P0}: chance is 25%, the images are not read");
        Assert.InRange(inDistribution, 0.55, 0.95);
        Assert.True(counterPrior < inDistribution, $"counter-prior {counterPrior:P0} ≥ in distribution {inDistribution:P0}");
    }
}
