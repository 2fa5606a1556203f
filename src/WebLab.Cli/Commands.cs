// Verb dispatch for the weblab CLI. Each verb lives in its own file under Verbs/.
namespace WebLab.Cli;

public static class Commands
{
    public static int Run(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }
        try
        {
            return args[0] switch
            {
                "run" => Verbs.RunVerb.Run(args[1..]),
                _ => Fail($"unknown verb '{args[0]}'\n{Usage}"),
            };
        }
        catch (CliException e)
        {
            return Fail(e.Message);
        }
    }

    public const string Usage = """
        usage: weblab VERB [options]
          generate --llama2c FILE --tokenizer FILE [--temperature T] [--steps N] [--seed S] [--topp P]
          train-base [--out DIR]
          eval --model DIR
          bench --llama2c FILE --tokenizer FILE --batch B --steps N
          run --config FILE.json
        """;

    static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 2;
    }
}

/// <summary>Bad command-line input: printed as one clear line, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
