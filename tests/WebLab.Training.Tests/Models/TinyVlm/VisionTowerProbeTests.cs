// The vision tower can see what TinyScenes asks about: trained alone with a linear head on one-object scenes, it tells
// the object's colour (4 classes) and shape (3) apart well above chance in a few hundred small steps.
using TorchSharp;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Models.TinyVlm;
using static TorchSharp.torch;

namespace WebLab.Training.Tests.Models.TinyVlm;

public sealed class VisionTowerProbeTests
{
    [Fact]
    public void Colour_and_shape_of_one_object_are_learned_from_the_pixels()
    {
        manual_seed(3);
        var tower = new VisionTower(new TinyVisionConfig { HiddenSize = 32, IntermediateSize = 64, NumHeads = 2 });
        var head = nn.Linear(32, 7);
        var parameters = tower.parameters().Concat(head.parameters()).ToList();
        using var optimizer = optim.AdamW(parameters, lr: 3e-3);
        var rng = new Random(1);
        (Tensor X, Tensor Color, Tensor Shape) Batch(int n)
        {
            var scenes = Enumerable.Range(0, n).Select(_ => new Scene([new((SceneShape)rng.Next(3), (SceneColor)rng.Next(4), (SceneSize)rng.Next(2), rng.Next(3), rng.Next(3))])).ToList();
            var x = stack(scenes.Select(s => tensor(SceneRenderer.Pixels(s), [3, 48, 48])).ToArray());
            return (x, tensor(scenes.Select(s => (long)s.Objects[0].Color).ToArray()), tensor(scenes.Select(s => (long)s.Objects[0].Shape).ToArray()));
        }
        for (int step = 0; step < 300; step++)
        {
            using var scope = NewDisposeScope();
            var (x, color, shape) = Batch(32);
            var pooled = tower.forward(x).amax(1);                                      // [N, 32]: the occupied patch stands out
            var logits = head.forward(pooled);
            var loss = nn.functional.cross_entropy(logits[.., ..4], color) + nn.functional.cross_entropy(logits[.., 4..], shape);
            optimizer.zero_grad();
            loss.backward();
            optimizer.step();
        }
        using (no_grad())
        {
            var (x, color, shape) = Batch(256);
            var logits = head.forward(tower.forward(x).amax(1));
            var colorAcc = (logits[.., ..4].argmax(1) == color).to_type(ScalarType.Float32).mean().item<float>();
            var shapeAcc = (logits[.., 4..].argmax(1) == shape).to_type(ScalarType.Float32).mean().item<float>();
            Assert.True(colorAcc > 0.9, $"colour {colorAcc:P0}");
            Assert.True(shapeAcc > 0.6, $"shape {shapeAcc:P0}");
        }
    }
}
