// A value of the wrong type or size is answered in words — what the option takes, with its range, and what came — never
// with the serializer's message ("The JSON value could not be converted to System.Int32. Path: $.steps | LineNumber…").
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using Xunit;

namespace WebLab.Training.Tests.Experiments;

public sealed class OptionMessagesTests
{
    static IReadOnlyDictionary<string, string[]> Errors(string method, JsonObject overrides) =>
        Assert.Throws<OptionsValidationException>(() => MethodOptions.Build(MethodCatalog.Default.Get(method), null, overrides)).Errors;

    [Theory]
    [InlineData("steps", "99999999999", "expected a whole number from 1 to 1,000,000; got 99999999999")]
    [InlineData("steps", "\"abc\"", "expected a whole number from 1 to 1,000,000; got \"abc\"")]
    [InlineData("steps", "1.5", "expected a whole number from 1 to 1,000,000; got 1.5")]
    [InlineData("learningRate", "\"fast\"", "expected a number from 1e-9 to 1; got \"fast\"")]
    [InlineData("partialCredit", "\"yes\"", "expected true or false; got \"yes\"")]
    [InlineData("kl", "\"K9\"", "expected one of Literal, AdvantagePenalty, K3; got \"K9\"")]
    public void Wrong_types_are_explained(string field, string json, string message)
    {
        var errors = Errors("grpo", new JsonObject { [field] = JsonNode.Parse(json) });
        Assert.Equal([message], errors[field]);
    }

    [Fact]
    public void An_unknown_option_is_named()
    {
        var errors = Errors("lsp", new JsonObject { ["stepz"] = 5 });
        var all = string.Join(" | ", errors.Select(e => $"{e.Key}: {string.Join(", ", e.Value)}"));
        Assert.Contains("stepz", all);
        Assert.DoesNotContain("LineNumber", all);
    }

    [Fact]
    public void Out_of_range_values_keep_the_range_message()
    {
        var errors = Errors("grpo", new JsonObject { ["learningRate"] = -1.0 });
        Assert.Contains("learningRate", errors.Keys);
        Assert.DoesNotContain("JSON", errors["learningRate"].Single());
        // in the form's words, with what came, never "The field LearningRate must be between …"
        Assert.Equal(["must be from 1e-9 to 1; got -1"], errors["learningRate"]);
        Assert.Equal(["must be from 1 to 1,000,000; got 0"], Errors("grpo", new JsonObject { ["steps"] = 0 })["steps"]);
    }
}
