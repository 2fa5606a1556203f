// The one place that says which method the web tests launch. To run them on the real SFT method instead:
// Catalog => MethodCatalog.Default, Name => "sft", and Quick/Long as sft overrides (e.g. { "maxSteps": n }).
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;

namespace WebLab.Web.Tests.Infrastructure;

public static class TestMethods
{
    public static MethodCatalog Catalog { get; } = new([new CountingMethod()]);
    public const string Name = "counting";
    public const string Preset = PresetNames.TinyCpu;

    /// <summary>Overrides for a run that finishes in about a second (steps × stepDelayMs).</summary>
    public static JsonObject Quick(int steps = 20, int stepDelayMs = 20) => new() { ["steps"] = steps, ["stepDelayMs"] = stepDelayMs };

    /// <summary>Overrides for a run that lasts far longer than any test.</summary>
    public static JsonObject Long() => new() { ["steps"] = 100_000, ["stepDelayMs"] = 20 };
}
