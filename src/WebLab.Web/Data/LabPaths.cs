// Where the lab keeps its files: the data directory (SQLite files) and one folder per run under the artifacts root (the
// data directory's "runs", or WebLab:Artifacts:Root, a folder several hosts share); and where a run's path options may
// point (PathRoots, with the data directory and the artifacts root), checked after following every symbolic link.
using Microsoft.Extensions.Options;

namespace WebLab.Web.Data;

public sealed class LabPaths(IOptions<WebLabOptions> options, IHostEnvironment env)
{
    public string DataDirectory { get; } = options.Value.ResolveDataDirectory(env.ContentRootPath);

    public string Database => Path.Combine(DataDirectory, "weblab.db");

    public string HangfireDatabase => Path.Combine(DataDirectory, "hangfire.db");

    /// <summary>The root of every run's folder: WebLab:Artifacts:Root, or "runs" under the data directory.</summary>
    public string ArtifactsRoot { get; } = string.IsNullOrWhiteSpace(options.Value.Artifacts.Root)
        ? Path.Combine(options.Value.ResolveDataDirectory(env.ContentRootPath), "runs")
        : Path.GetFullPath(options.Value.Artifacts.Root, env.ContentRootPath);

    public string RunDirectory(long experimentId) => Path.Combine(ArtifactsRoot, experimentId.ToString());

    /// <summary>A run's folder, laid out as every host lays it out (its saved state, its checkpoints).</summary>
    public Training.Experiments.RunFolder Run(long experimentId) => new(RunDirectory(experimentId));

    /// <summary>The allowed roots, resolved (symbolic links followed) and absolute.</summary>
    public IReadOnlyList<string> PathRoots { get; } = [.. options.Value.PathRoots.Select(r => Path.GetFullPath(r, env.ContentRootPath))
        .Append(options.Value.ResolveDataDirectory(env.ContentRootPath))
        .Concat(string.IsNullOrWhiteSpace(options.Value.Artifacts.Root) ? [] : [Path.GetFullPath(options.Value.Artifacts.Root, env.ContentRootPath)])
        .Select(r => RealPath(r)).Distinct()];

    /// <summary>Whether <paramref name="path"/>, with every symbolic link on the way followed, lies inside an allowed root.</summary>
    public bool IsAllowed(string path)
    {
        var real = RealPath(Path.GetFullPath(path));                       // relative: as the run will open it, from the working directory
        return PathRoots.Any(root => real == root || real.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal));
    }

    /// <summary>The path with every symbolic link on the way resolved, left to right (as realpath(3)); what does not exist stays as written.</summary>
    public static string RealPath(string fullPath) => RealPath(fullPath, 0);

    static string RealPath(string fullPath, int depth)
    {
        if (depth > 40) throw new IOException($"too many symbolic links under {fullPath}");
        var root = Path.GetPathRoot(fullPath) ?? "/";
        var parts = fullPath[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        var current = root;
        for (int i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            if (new FileInfo(next).LinkTarget is { } target)
            {
                // the prefix so far is real; continue from the link's target (relative to the link's folder) with the rest
                var resolved = Path.GetFullPath(target, current);
                var rest = string.Join(Path.DirectorySeparatorChar, parts[(i + 1)..]);
                return RealPath(rest.Length == 0 ? resolved : Path.Combine(resolved, rest), depth + 1);
            }
            current = next;
        }
        return current;
    }
}
