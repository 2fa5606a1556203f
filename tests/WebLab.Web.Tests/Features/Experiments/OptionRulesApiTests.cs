// Cross-field option rules answered by the API before anything is written: a 400 validation problem naming every field
// a rule involves (the form shows the same messages beside those fields, from the same validation).
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class OptionRulesApiTests() : LabTest(MethodCatalog.Default)
{
    [Fact]
    public async Task A_model_shape_that_cannot_be_built_is_a_400_naming_both_fields()
    {
        var response = await Http.PostAsJsonAsync("/api/experiments", new { method = "sft", overrides = new { width = 64, heads = 3, kvHeads = 2 } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("width 64 is not a multiple of heads 3", errors["width"]![0]!.GetValue<string>());
        Assert.Contains("width 64 is not a multiple of heads 3", errors["heads"]![0]!.GetValue<string>());
        Assert.Contains("heads 3 is not a multiple of kvHeads 2", string.Join(" ", errors["heads"]!.AsArray().Select(e => e!.GetValue<string>())));
        Assert.True(errors.ContainsKey("kvHeads"));
        Assert.Empty(await Http.ListAsync("/api/experiments"));
    }

    [Fact]
    public async Task An_odd_head_size_is_refused_before_launch()
    {
        var response = await Http.PostAsJsonAsync("/api/experiments", new { method = "sft", overrides = new { width = 36, heads = 4, kvHeads = 2 } });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("head size width / heads = 9 must be even", errors["width"]![0]!.GetValue<string>());
    }
}
