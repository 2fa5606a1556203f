using System.Numerics;
// A small "--name value" parser with clear errors for the weblab verbs.
using System.Globalization;

namespace WebLab.Cli;

public sealed class Args
{
    readonly Dictionary<string, string> values = new(StringComparer.Ordinal);
    readonly HashSet<string> used = [];
    readonly string verb;

    /// <param name="flags">Options that may stand alone (<c>--chat</c>), meaning "true".</param>
    public Args(string verb, IEnumerable<string> args, IReadOnlyCollection<string>? flags = null)
    {
        this.verb = verb;
        var list = args.ToList();
        for (int i = 0; i < list.Count; i++)
        {
            if (!list[i].StartsWith("--", StringComparison.Ordinal)) throw new CliException($"{verb}: unexpected argument '{list[i]}'");
            var name = list[i][2..];
            if (flags?.Contains(name) == true && (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal))) { values[name] = "true"; continue; }
            if (i + 1 >= list.Count || list[i + 1].StartsWith("--", StringComparison.Ordinal)) throw new CliException($"{verb}: --{name} needs a value");
            values[name] = list[++i];
        }
    }

    public string Required(string name) =>
        Optional(name) ?? throw new CliException($"{verb}: --{name} is required");

    public string? Optional(string name)
    {
        used.Add(name);
        return values.GetValueOrDefault(name);
    }

    public string File(string name)
    {
        var path = Required(name);
        if (!System.IO.File.Exists(path)) throw new CliException($"{verb}: --{name}: no such file '{path}'");
        return path;
    }

    public T Number<T>(string name, T fallback, T min, T max) where T : INumber<T>
    {
        var text = Optional(name);
        if (text is null) return fallback;
        if (!T.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            throw new CliException($"{verb}: --{name} must be a number, got '{text}'");
        if (value < min || value > max) throw new CliException($"{verb}: --{name} must be in [{min}, {max}], got {value}");
        return value;
    }

    /// <summary>Call after reading every option: an unknown one is an error, not silently ignored.</summary>
    public void EnsureAllUsed()
    {
        var unknown = values.Keys.Where(k => !used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new CliException($"{verb}: unknown option(s) {string.Join(", ", unknown.Select(u => "--" + u))}");
    }
}
