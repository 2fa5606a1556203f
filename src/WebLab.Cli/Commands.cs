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
            WebLab.Training.Runtime.ExternalLibTorch.Use(null); // WEBLAB_LIBTORCH_DIR, when set: before any tensor work
            Args Rest() => new(args[0], args.Skip(1)); // parsed per verb: run and train take their own syntax
            return args[0] switch
            {
                "generate" => Verbs.GenerateVerb.Run(new Args(args[0], args.Skip(1), flags: ["chat"])),
                "bench" => Verbs.BenchVerb.Run(Rest()),
                "train-base" => Verbs.TrainBaseVerb.Run(Rest()),
                "eval" => Verbs.EvalVerb.Run(Rest()),
                "merge" => Verbs.MergeVerb.Run(Rest()),
                "logits" => Verbs.LogitsVerb.Run(Rest()),
                "train" => Verbs.TrainVerb.Run(args[1..]),
                "run" => Verbs.RunVerb.Run(args[1..]),
                "worker" => Verbs.WorkerVerb.Run(args[1..]),
                "admin" => Verbs.AdminVerb.Run(args[1..], Console.In, Console.Out),
                _ => Fail($"unknown verb '{args[0]}'\n{Usage}"),
            };
        }
        catch (CliException e)
        {
            return Fail(e.Message);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or ArgumentException or InvalidOperationException)
        {
            return Fail(e.Message);
        }
    }

    public const string Usage = """
        usage: weblab VERB [options]
          generate --llama2c FILE --tokenizer FILE [--temperature T] [--steps N] [--seed S] [--topp P] [--prompt TEXT]
          generate --model DIR --prompt TEXT [--image FILE] [--chat] [--max-tokens N] [--temperature T] [--seed S]   (a Hugging Face folder; greedy by default)
          train-base [--out DIR]
          eval --model DIR [--domain NAME] [--eval-seed S] [--per-split N] [--show-wrong SPLIT] [--samples K] [--sample-temperature T] [--against DIR]
          eval --overlap S1,S2,... [--domain NAME] [--per-split N]   (items the evaluation seeds share, per split)
          eval --model DIR --domain tinyscenes [--format SeeThink|Think] [--judge START_DIR] [--max-tokens N] [--items OUT.jsonl]   (a VLM; --items: every item's record)
          eval --paired A1.jsonl,A2.jsonl,... --with B1.jsonl,B2.jsonl,... [--flag correct|shortcut_oracle|shortcut_start_model] [--split S]
                (A_k against B_k item by item, discordant items pooled into one exact sign test)
          eval --replay SAMPLES.jsonl [--domain NAME] [--replay-seeds S1,S2] [--per-split N]   (a self-play run's queries against the held-out rule)
          bench --llama2c FILE --tokenizer FILE --batch B --steps N
          train --method M [--preset P] [--set key=value]... [--prompts FILE] [--parent DIR] [--out DIR]
          train --resume DIR [--device D]
          logits --model DIR --ids 1,2,3 [--image FILE.png] --out FILE.json   (one forward pass as JSON: argmax, fp32 logits per position, position ids; any family, no tokenizer needed)
          merge --model DIR --adapter DIR --out DIR   (a LoRA adapter in PEFT's files folded into a full Hugging Face folder)
          run --config FILE.json [--as USER] | --resume ID
          worker --queues cpu[,cuda0,…]   (a worker host on the lab's PostgreSQL queue: --WebLab:Database=Postgres --WebLab:PostgresConnectionString=…)
          admin create [--user NAME] [--role Admin|Researcher|Reviewer|Viewer]   (asks for the password; the first admin of a new lab)
          admin list
          run, worker and admin take the lab's settings as --WebLab:DataDirectory=DIR and the like
        environment: WEBLAB_LIBTORCH_DIR=DIR runs on the libtorch in DIR (e.g. torch/lib of a PyTorch install with CUDA;
          needs a build with -p:TorchBackend=external)
        """;

    static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        return 2;
    }
}

/// <summary>Bad command-line input: printed as one clear line, exit code 2.</summary>
public sealed class CliException(string message) : Exception(message);
