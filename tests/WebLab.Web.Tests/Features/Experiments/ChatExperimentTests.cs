// The real lsp method through the real app on Hugging Face folders made here at random (a Qwen2 policy with the real
// Qwen2.5 chat template, a Llama reward model with the real Llama 3 one): launched from the API in the chat domain, with
// the quality prompt and an LLM judge served by a real chat-completions server on loopback that the lab's configuration
// names; the verdicts come back through the API and as AlpacaEval annotations; a run asking for an LLM judge the lab
// does not have fails at start, saying so.
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using WebLab.Training.Experiments;
using WebLab.Training.Models;
using WebLab.Training.Tests;
using WebLab.Training.Tests.Judges;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ChatExperimentTests : IDisposable
{
    readonly TempFolder _root = new("weblab-chat-web-");
    public void Dispose() => _root.Dispose();

    object Overrides(string judge)
    {
        var policy = Path.Combine(_root.Path, "policy");
        var reward = Path.Combine(_root.Path, "reward");
        var evalSet = Path.Combine(_root.Path, "alpaca_eval.json");
        if (!Directory.Exists(policy))
        {
            TinyHfFolders.Write(policy, new TinyHfSpec { Family = "qwen2", MaxPositions = 4096, ChatTemplate = Fixtures.ChatTemplate("qwen2_5"), Seed = 5 });
            TinyHfFolders.Write(reward, new TinyHfSpec { RewardModel = true, MaxPositions = 4096, ChatTemplate = Fixtures.ChatTemplate("llama3"), Seed = 6 });
            File.WriteAllText(evalSet, new JsonArray(Enumerable.Range(0, 4).Select(i => (JsonNode)new JsonObject
            {
                ["instruction"] = $"Write a haiku about the number {i}.", ["dataset"] = i < 2 ? "helpful_base" : "oasst", ["output"] = "…", ["generator"] = "ref",
            }).ToArray()).ToJsonString());
        }
        return new
        {
            domain = "chat", model = policy, rewardModel = reward, evalSet, judge,
            steps = 2, queries = 2, answers = 2, maxQueryTokens = 6, maxAnswerTokens = 6, qualityMaxTokens = 6,
            evalEvery = 2, evalPerSplit = 2, evalTemperature = 1.0, learningRate = 1e-3, sampleEvery = 1, checkpointEvery = 0,
        };
    }

    [Fact]
    public async Task Lsp_on_hugging_face_folders_runs_from_the_api_with_an_llm_judge()
    {
        using var judge = new LoopbackChatServer(user => user.Contains("## Output (a)\n\n") && user.Length % 3 == 0 ? "b" : "a");
        await using var lab = new LabFactory(MethodCatalog.Default);
        lab.Settings["WebLab:PathRoots:0"] = _root.Path;                             // the folders made here are the ones runs may read
        lab.Settings["WebLab:Judge:BaseUrl"] = judge.BaseUrl;
        lab.Settings["WebLab:Judge:Model"] = "loopback-judge";
        lab.Settings["WebLab:Judge:ApiKey"] = "sk-never-stored";
        using var http = lab.CreateClient();

        var response = await http.PostAsJsonAsync("/api/experiments", new { method = "lsp", preset = "tiny-cpu", overrides = Overrides("Llm") });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (long)(await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!;

        var done = await http.WaitForStatusAsync(id, "Succeeded", seconds: 300);
        Assert.Equal(2, (long)done["step"]!);
        foreach (var name in new[] { "solver/reward_mean", "quality/mean", "quality/unparsable_frac", "eval/win_rate" })
            Assert.NotEmpty(await http.ListAsync($"/api/experiments/{id}/metrics?name={Uri.EscapeDataString(name)}"));

        var verdicts = await http.ListAsync($"/api/experiments/{id}/verdicts");
        Assert.Equal(4, verdicts.Count);                                         // 2 splits × 2 items
        var judged = verdicts.Where(v => (string)v!["trainedAnswer"]! != (string)v!["baseAnswer"]!).ToList();
        Assert.Equal(judged.Count, judge.Requests);
        Assert.All(judged, v => Assert.Equal("llm:loopback-judge", (string)v!["judge"]!));
        Assert.All(judged, v => Assert.Contains("ms; tokens", (string)v!["rationale"]!));
        Assert.All(judge.Authorizations, a => Assert.Equal("Bearer sk-never-stored", a));

        var annotations = JsonNode.Parse(await http.GetStringAsync($"/api/experiments/{id}/export/alpaca_eval_annotations.json"))!.AsArray();
        Assert.Equal(4, annotations.Count);
        Assert.All(annotations, a => Assert.Contains(a!["preference"]!.GetValue<double>(), new[] { 1.0, 1.5, 2.0 }));
        Assert.Equal(["helpful_base", "oasst"], annotations.Select(a => (string)a!["dataset"]!).Distinct().Order());

        // the key is nowhere in what the lab keeps or serves about the run
        var config = await http.GetStringAsync($"/api/experiments/{id}");
        Assert.DoesNotContain("sk-never-stored", config);
        foreach (var file in Directory.EnumerateFiles(lab.DataDirectory, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".safetensors")))
            Assert.DoesNotContain("sk-never-stored", await ReadSharedAsync(file));
    }

    [Fact]
    public async Task Asking_for_an_llm_judge_the_lab_does_not_have_is_refused_at_launch_saying_so()
    {
        await using var lab = new LabFactory(MethodCatalog.Default);
        lab.Settings["WebLab:PathRoots:0"] = _root.Path;
        using var http = lab.CreateClient();
        var response = await http.PostAsJsonAsync("/api/experiments", new { method = "lsp", preset = "tiny-cpu", overrides = Overrides("Llm") });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);                 // before anything is queued, not at start
        Assert.Contains("no LLM judge configured", (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!["domain"]![0]!);
        Assert.Empty(await http.ListAsync("/api/experiments"));
    }

    [Fact]
    public async Task Missing_or_misplaced_resources_are_a_400_naming_the_fields()
    {
        await using var lab = new LabFactory(MethodCatalog.Default);
        lab.Settings["WebLab:PathRoots:0"] = _root.Path;
        using var http = lab.CreateClient();

        var missing = Path.Combine(_root.Path, "nowhere");
        var chat = await http.PostAsJsonAsync("/api/experiments", new { method = "lsp", overrides = new { domain = "chat", model = missing } });
        Assert.Equal(HttpStatusCode.BadRequest, chat.StatusCode);
        var errors = (await chat.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains($"no folder at '{missing}'", errors["model"]![0]!.GetValue<string>());
        Assert.True(errors.ContainsKey("rewardModel") && errors.ContainsKey("evalSet"));

        var tiny = await http.PostAsJsonAsync("/api/experiments", new { method = "grpo", overrides = new { judge = "Llm" } });
        Assert.Equal(HttpStatusCode.BadRequest, tiny.StatusCode);
        var both = (await tiny.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.True(both.ContainsKey("judge") && both.ContainsKey("domain"), both.ToJsonString());
        // real folders outside the lab's roots, directly or through a symbolic link inside one, are refused by name
        var outside = await http.PostAsJsonAsync("/api/experiments", new { method = "lsp", overrides = new { domain = "chat", model = "/etc", rewardModel = "/etc", evalSet = "/etc/passwd" } });
        Assert.Equal(HttpStatusCode.BadRequest, outside.StatusCode);
        var refused = (await outside.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsObject();
        Assert.Contains("'/etc/passwd' is outside the folders runs may read", refused["evalSet"]![0]!.GetValue<string>());
        Assert.Contains("outside the folders", refused["model"]![0]!.GetValue<string>());
        var link = Path.Combine(lab.DataDirectory, "escape");
        Directory.CreateSymbolicLink(link, "/etc");
        var viaLink = await http.PostAsJsonAsync("/api/experiments", new { method = "lsp", overrides = new { domain = "chat", model = link, rewardModel = link, evalSet = Path.Combine(link, "passwd") } });
        Assert.Equal(HttpStatusCode.BadRequest, viaLink.StatusCode);
        Assert.Contains("outside the folders", await viaLink.Content.ReadAsStringAsync());
        Assert.Empty(await http.ListAsync("/api/experiments"));                 // nothing was written
    }

    static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
