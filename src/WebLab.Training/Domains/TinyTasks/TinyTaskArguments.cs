// Argument checks per family shape: count, alphabet, word length, canonical numbers and their bounds.
namespace WebLab.Training.Domains.TinyTasks;

/// <summary>Validates the arguments that follow a family word.</summary>
static class TinyTaskArguments
{
    /// <summary>Null when <paramref name="args"/> fit <paramref name="info"/>'s shape, else the failure.</summary>
    public static TinyTaskParseResult? Check(TinyTaskFamilyInfo info, string[] args) => info.Shape switch
    {
        TinyTaskShape.Word => Count(info, args, 1, 1) ?? Word(args[0]),
        TinyTaskShape.LetterWord => Count(info, args, 2, 2) ?? Letter(args[0]) ?? Word(args[1]),
        TinyTaskShape.NumberPair => Count(info, args, 2, 2) ?? Numbers(args),
        _ => Count(info, args, TinyTaskLimits.MinListLength, TinyTaskLimits.MaxListLength) ?? Numbers(args),
    };

    static TinyTaskParseResult? Count(TinyTaskFamilyInfo info, string[] args, int min, int max) =>
        args.Length >= min && args.Length <= max
            ? null
            : Fail(TinyTaskParseError.WrongArgumentCount,
                $"'{info.Name}' takes {(min == max ? $"{min}" : $"{min} to {max}")} argument(s), got {args.Length}");

    static TinyTaskParseResult? Letter(string s) =>
        s.Length == 1 && InAlphabet(s[0]) ? null
            : Fail(TinyTaskParseError.BadLetter, $"'{s}' is not one letter of '{TinyTaskLimits.Alphabet}'");

    static TinyTaskParseResult? Word(string s)
    {
        if (!s.All(InAlphabet)) return Fail(TinyTaskParseError.BadLetter, $"'{s}' has characters outside '{TinyTaskLimits.Alphabet}'");
        return s.Length <= TinyTaskLimits.MaxWordLength ? null
            : Fail(TinyTaskParseError.WordTooLong, $"word longer than {TinyTaskLimits.MaxWordLength} letters");
    }

    static TinyTaskParseResult? Numbers(string[] args) => args.Select(Number).FirstOrDefault(e => e is not null);

    static TinyTaskParseResult? Number(string s)
    {
        if (!s.All(char.IsAsciiDigit) || (s.Length > 1 && s[0] == '0'))
            return Fail(TinyTaskParseError.NotANumber, $"'{s}' is not a decimal number without leading zeros");
        var maxDigits = TinyTaskDifficulty.Digits(TinyTaskLimits.MaxNumber);
        return s.Length <= maxDigits && TinyTaskSolver.ParseNumber(s) <= TinyTaskLimits.MaxNumber ? null
            : Fail(TinyTaskParseError.NumberTooLarge, $"number above {TinyTaskLimits.MaxNumber}");
    }

    static bool InAlphabet(char c) => TinyTaskLimits.Alphabet.Contains(c);

    static TinyTaskParseResult Fail(TinyTaskParseError e, string reason) => TinyTaskParseResult.Fail(e, reason);
}
