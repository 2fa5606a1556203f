// Finds the shared reference files (never copied into the repo): $WEBLAB_FIXTURES, else ../shared/fixtures next to the repo root.
// A missing folder fails the test: a parity test that silently passes without its reference proves nothing.
using Xunit;

namespace WebLab.Training.Tests;

public static class Fixtures
{
    public const string EnvVar = "WEBLAB_FIXTURES";

    /// <summary>The fixtures folder; fails the calling test with a clear message when it does not exist.</summary>
    public static string Root
    {
        get
        {
            var root = Environment.GetEnvironmentVariable(EnvVar) is { Length: > 0 } env
                ? System.IO.Path.GetFullPath(env)
                : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot(), "..", "shared", "fixtures"));
            if (!Directory.Exists(root)) Assert.Fail($"fixtures not found at {root}; set {EnvVar}");
            return root;
        }
    }

    /// <summary>The full path of a fixture file, e.g. <c>Fixtures.Path("stories260k/stories260K.bin")</c>.</summary>
    public static string Path(string relative)
    {
        var path = System.IO.Path.Combine(Root, relative);
        if (!File.Exists(path) && !Directory.Exists(path)) Assert.Fail($"fixture '{relative}' not found at {path}; set {EnvVar}");
        return path;
    }

    /// <summary>The chat template of a tokenizer fixture (<c>llama3</c> or <c>qwen2_5</c>), from its tokenizer_config.json.</summary>
    public static string ChatTemplate(string fixture) =>
        System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path($"tokenizers/{fixture}/tokenizer_config.json")))!["chat_template"]!.GetValue<string>();

    /// <summary>The folder holding WebLab.sln, found by walking up from the test binaries.</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "WebLab.sln"))) return dir.FullName;
        throw new InvalidOperationException($"WebLab.sln not found above {AppContext.BaseDirectory}");
    }
}
