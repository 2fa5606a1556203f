// Parses text into a TinyTask, or says precisely why it is not a valid instruction (the Challenger's validity check).
// Strict form: surrounding whitespace is trimmed; inside, tokens are separated by exactly one space.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Why a text is not a valid instruction.</summary>
public enum TinyTaskParseError
{
    /// <summary>Valid.</summary>
    None,
    /// <summary>Empty or whitespace only.</summary>
    Empty,
    /// <summary>Longer than <see cref="TinyTaskLimits.MaxInstructionLength"/>.</summary>
    TooLong,
    /// <summary>Two spaces in a row (an empty argument).</summary>
    BadSpacing,
    /// <summary>The first word is no family name.</summary>
    UnknownFamily,
    /// <summary>Too few or too many arguments for the family.</summary>
    WrongArgumentCount,
    /// <summary>A word or letter argument holds something other than <see cref="TinyTaskLimits.Alphabet"/>.</summary>
    BadLetter,
    /// <summary>A word longer than <see cref="TinyTaskLimits.MaxWordLength"/>.</summary>
    WordTooLong,
    /// <summary>A number argument that is not canonical decimal digits (no sign, no leading zero).</summary>
    NotANumber,
    /// <summary>A number above <see cref="TinyTaskLimits.MaxNumber"/>.</summary>
    NumberTooLarge,
}

/// <summary>The parse outcome: a <see cref="Task"/>, or an <see cref="Error"/> with a human <see cref="Reason"/>.</summary>
/// <param name="Task">The parsed instruction, or null when invalid.</param>
/// <param name="Error"><see cref="TinyTaskParseError.None"/> when valid.</param>
/// <param name="Reason">Why it is invalid, for people; empty when valid.</param>
public sealed record TinyTaskParseResult(TinyTask? Task, TinyTaskParseError Error, string Reason)
{
    /// <summary>True when <see cref="Task"/> is set.</summary>
    public bool IsValid => Task is not null;

    internal static TinyTaskParseResult Ok(TinyTask task) => new(task, TinyTaskParseError.None, "");

    internal static TinyTaskParseResult Fail(TinyTaskParseError error, string reason) => new(null, error, reason);
}

/// <summary>Turns instruction text into a <see cref="TinyTask"/>.</summary>
public static class TinyTaskParser
{
    /// <summary>Parses <paramref name="text"/>; never throws.</summary>
    public static TinyTaskParseResult Parse(string? text)
    {
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0) return TinyTaskParseResult.Fail(TinyTaskParseError.Empty, "empty instruction");
        if (trimmed.Length > TinyTaskLimits.MaxInstructionLength)
            return TinyTaskParseResult.Fail(TinyTaskParseError.TooLong, $"instruction longer than {TinyTaskLimits.MaxInstructionLength} characters");
        var parts = trimmed.Split(' ');
        if (parts.Any(p => p.Length == 0)) return TinyTaskParseResult.Fail(TinyTaskParseError.BadSpacing, "arguments must be separated by one space");
        if (!TinyTaskFamilies.TryGetByName(parts[0], out var family))
            return TinyTaskParseResult.Fail(TinyTaskParseError.UnknownFamily, $"unknown family '{parts[0]}'");
        var args = parts[1..];
        var error = TinyTaskArguments.Check(family.Info(), args);
        return error ?? TinyTaskParseResult.Ok(new TinyTask(family, args));
    }
}
