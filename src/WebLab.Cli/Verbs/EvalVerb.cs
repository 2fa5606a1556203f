// weblab eval: per-split greedy accuracy of a TinyTasks model (HF folder) as JSON, plus challenger validity, on the
// evaluation splits of a TinyTasks domain (the default one, or a testbed) at the fixed or a chosen evaluation seed; with
// --against, the win rate against another model on those items, judged as the RL methods judge it (--answer-seed: a run's
// sampling seed; --exclude-seeds: leave out what earlier seeds drew). A VLM on TinyScenes: accuracy and both shortcut rates,
// every item's record with --items, and --paired tests records of two sets of models item by item (the evidence's second looks).
using System.Text.Json;
using WebLab.Training.Domains;
using WebLab.Training.Domains.TinyScenes;
using WebLab.Training.Domains.TinyTasks;
using WebLab.Training.Experiments;
using WebLab.Training.Methods.Common;
using WebLab.Training.Methods.VisionSr1;
using WebLab.Training.Models;
using WebLab.Web.Features.RunGroups;

namespace WebLab.Cli.Verbs;

public static class EvalVerb
{
    public static int Run(Args args)
    {
        if (args.Optional("overlap") is { } seeds) return Overlap(args, seeds);
        if (args.Optional("replay") is { } exported) return Replay(args, exported);
        if (args.Optional("paired") is { } first) return Paired(args, first);
        var dir = args.Required("model");
        if (!Directory.Exists(dir)) throw new CliException($"eval: --model: no such folder '{dir}'");
        var perSplit = args.Number("per-split", TinyTaskSplits.DefaultPerSplit, 1, 5000);
        var split = args.Optional("show-wrong"); // print this split's wrong answers to stderr
        var samples = args.Number("samples", 0, 0, 1024);  // > 0: also pass@1 and pass@k at --sample-temperature, per level
        var temperature = args.Number("sample-temperature", 1.0, 0.05, 5.0);
        var domainName = args.Optional("domain") ?? DomainCatalog.DefaultName;
        var evalSeed = args.Number("eval-seed", EvalSplits.DefaultSeed, 0, int.MaxValue);
        var against = args.Optional("against");   // a second model (the base): W / T / L of --model against it
        if (against is not null && !Directory.Exists(against)) throw new CliException($"eval: --against: no such folder '{against}'");
        var answerSeed = args.Number("answer-seed", 1L, 0L, long.MaxValue);   // --against: the answers' sampling seed (a run's: its training seed)
        var excludeSeeds = Seeds(args.Optional("exclude-seeds"), "exclude-seeds");   // --against: leave out items these seeds drew
        var excludeSizes = Seeds(args.Optional("exclude-per-split") ?? "60,140", "exclude-per-split");
        if (against is null && (args.Optional("answer-seed") is not null || excludeSeeds.Count > 0))
            throw new CliException("eval: --answer-seed and --exclude-seeds go with --against");
        var format = args.Optional("format") is { } f ? Enum.TryParse<ResponseFormat>(f, true, out var rf) ? rf
            : throw new CliException($"eval: --format: '{f}'; one of {string.Join(", ", Enum.GetNames<ResponseFormat>())}") : ResponseFormat.SeeThink;
        var judge = args.Optional("judge");        // TinyScenes: the start-model judge (a run's frozen start); default the model itself
        if (judge is not null && !Directory.Exists(judge)) throw new CliException($"eval: --judge: no such folder '{judge}'");
        var itemsFile = args.Optional("items");    // TinyScenes: every item's record, one JSON line each, for --paired
        var maxTokens = args.Number("max-tokens", 96, 1, 4096);   // TinyScenes: a response's budget (a run's maxResponseTokens)
        args.EnsureAllUsed();
        if (DomainCatalog.Default.TryGet(domainName, out var visual) && visual is IVisualDomain questions)
            return Visual(questions, dir, perSplit, split, format, args.Optional("eval-seed") is null ? TinyScenesSplits.DefaultEvalSeed : evalSeed, judge, itemsFile, maxTokens);
        if (judge is not null || itemsFile is not null || args.Optional("max-tokens") is not null) throw new CliException($"eval: --judge, --items and --max-tokens are for a visual domain (tinyscenes); '{domainName}' is not one");
        if (!DomainCatalog.Default.TryGet(domainName, out var d) || d is not TinyTasksDomain domain)
            throw new CliException($"eval: --domain: '{domainName}' is not a TinyTasks domain; known: {string.Join(", ", DomainCatalog.Default.Names)}");
        using var model = ModelFamilies.Load(dir);
        var splits = domain.EvaluationSplits(perSplit, evalSeed);
        var acc = TinyTasksEvaluator.Accuracy(model, splits);
        foreach (var a in acc.Answers.Where(a => a.Split == split && !a.Correct))
            Console.Error.WriteLine($"{a.Item.Instruction} = {a.Answer}   (expected {a.Item.Answer})");
        var sampled = samples > 0 ? TinyTasksEvaluator.SampledRight(model, splits, samples, temperature, seed: 1) : null;
        WinRateResult? versus = null;
        if (against is not null)
        {
            using var other = ModelFamilies.Load(against);
            versus = Versus(model, other, domain, perSplit, evalSeed, answerSeed, DrawnBy(excludeSeeds, excludeSizes));
        }
        Console.WriteLine(Report(model, acc, sampled, samples, temperature, versus));
        return 0;
    }

    /// <summary>--overlap S1,S2,…: per seed and split, the most items it shares with one other listed seed (no model needed).</summary>
    static int Overlap(Args args, string list)
    {
        var domainName = args.Optional("domain") ?? DomainCatalog.DefaultName;
        var perSplit = args.Number("per-split", TinyTaskSplits.DefaultPerSplit, 1, 5000);
        args.EnsureAllUsed();
        if (!DomainCatalog.Default.TryGet(domainName, out var d) || d is not TinyTasksDomain domain)
            throw new CliException($"eval: --domain: '{domainName}' is not a TinyTasks domain; known: {string.Join(", ", DomainCatalog.Default.Names)}");
        var seeds = Seeds(list, "overlap");
        if (seeds.Count < 2) throw new CliException("eval: --overlap needs at least two seeds, comma-separated");
        if (seeds.Distinct().Count() != seeds.Count) throw new CliException($"eval: --overlap: a seed repeats in '{list}'");
        var rows = EvalOverlap.Table(s => domain.EvaluationSplits(perSplit, s), seeds);
        Console.WriteLine($"{domain.Name}, {perSplit} items a split: items each seed shares with the one other seed that shares most");
        Console.WriteLine(EvalOverlap.Markdown(rows));
        return 0;
    }

    /// <summary>
    /// --replay samples.jsonl (a run's export): the Challenger queries it logged, how many are held out by the domain's
    /// rule, how many are exact evaluation items at --replay-seeds, and how many held-out ones trained the Solver (its
    /// answers logged as trained: without the held-out mark, which runs before the guard never wrote).
    /// </summary>
    static int Replay(Args args, string file)
    {
        if (!File.Exists(file)) throw new CliException($"eval: --replay: no such file '{file}'");
        var domainName = args.Optional("domain") ?? DomainCatalog.DefaultName;
        var perSplit = args.Number("per-split", TinyTaskSplits.DefaultPerSplit, 1, 5000);
        var seedList = args.Optional("replay-seeds");
        args.EnsureAllUsed();
        if (!DomainCatalog.Default.TryGet(domainName, out var d) || d is not TinyTasksDomain domain)
            throw new CliException($"eval: --domain: '{domainName}' is not a TinyTasks domain; known: {string.Join(", ", DomainCatalog.Default.Names)}");
        var seeds = Seeds(seedList, "replay-seeds");
        var rl = domain.Rl(new RlDomainSettings(PartialCredit: false));
        var items = seeds.ToDictionary(s => s, s => domain.EvaluationSplits(perSplit, s).SelectMany(x => x.Items).Select(i => i.Instruction).ToHashSet());
        var report = HeldOutReplay.Of(File.ReadLines(file), rl.IsHeldOut, items);
        Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    /// <summary>--paired A1,A2,… --with B1,B2,… --flag F [--split S] [--domain NAME]: the paired test of per-item records
    /// (--items files), A_k paired with B_k item by item, discordant items pooled into one exact sign test, as JSON.</summary>
    static int Paired(Args args, string first)
    {
        var second = args.Required("with");
        var flag = args.Optional("flag") ?? "correct";
        var split = args.Optional("split");
        var domainName = args.Optional("domain") ?? "tinyscenes";
        args.EnsureAllUsed();
        if (!ResultsService.Flags.Contains(flag)) throw new CliException($"eval: --flag: '{flag}'; one of {string.Join(", ", ResultsService.Flags)}");
        if (!DomainCatalog.Default.TryGet(domainName, out var d) || d is not IVisualDomain domain)
            throw new CliException($"eval: --domain: '{domainName}' is not a visual domain");
        List<(string, IReadOnlyList<PairedItem>)> Side(string list, string option) =>
            [.. list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Select(path => File.Exists(path)
                ? (path, EvalItems.Read(File.ReadLines(path), flag, split, domain.IsApart, path))
                : throw new CliException($"eval: --{option}: no such file '{path}'"))];
        var a = Side(first, "paired");
        var b = Side(second, "with");
        if (a.Count != b.Count) throw new CliException($"eval: --paired has {a.Count} files and --with {b.Count}; they pair in order");
        var r = PairedTest.Of(a, b);
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            flag, split, items = r.Items, share_a = Math.Round(r.ShareA, 4), share_b = Math.Round(r.ShareB, 4),
            only_a = r.OnlyA, only_b = r.OnlyB, sign_test_p = r.SignTestP,
            pairs = r.Pairs.Select(p => new { a = p.A, b = p.B, items = p.Items, only_a = p.OnlyA, only_b = p.OnlyB, share_a = Math.Round(p.ShareA, 4), share_b = Math.Round(p.ShareB, 4) }),
        }, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        return 0;
    }

    /// <summary>
    /// <paramref name="model"/> against <paramref name="other"/> on the domain's evaluation items at
    /// <paramref name="evalSeed"/>, as a run's evaluation does it (answers at temperature 0.01 with the run's seed, by
    /// default 1; the verifier judges; the headline leaves the ood split out): recheck a trained run's win rate on a split
    /// no one has looked at. Items in <paramref name="exclude"/> (instructions other seeds drew) are left out.
    /// </summary>
    public static WinRateResult Versus(IPolicy model, IPolicy other, TinyTasksDomain domain, int perSplit, int evalSeed, long answerSeed = 1,
        IReadOnlySet<string>? exclude = null)
    {
        var rl = domain.Rl(new RlDomainSettings(PartialCredit: false, EvaluationSeed: evalSeed));
        var prompts = rl.EvaluationSet(perSplit).Where(p => exclude?.Contains(p.Prompt) != true).ToList();
        string[] Answers(IPolicy p) => [.. WinRate.Answers(p, rl, prompts, temperature: 0.01, answerSeed).Select(a => a.Answer)];
        return WinRate.Judge(rl, prompts, Answers(model), Answers(other), step: 0);
    }

    /// <summary>Every instruction any TinyTasks domain (the default one and each testbed) draws at one of
    /// <paramref name="seeds"/> with one of <paramref name="sizes"/> items a split: what earlier evaluations have shown.</summary>
    public static IReadOnlySet<string> DrawnBy(IReadOnlyList<int> seeds, IReadOnlyList<int> sizes) =>
        seeds.Count == 0 ? new HashSet<string>() :
        (from name in DomainCatalog.Default.Names
         let d = DomainCatalog.Default.Get(name) as TinyTasksDomain
         where d is not null
         from seed in seeds
         from size in sizes
         from split in d.EvaluationSplits(size, seed)
         from item in split.Items
         select item.Instruction).ToHashSet(StringComparer.Ordinal);

    /// <summary>A comma-separated list of seeds (or sizes): "11000001, 11000101" → [11000001, 11000101]; empty → [].</summary>
    static List<int> Seeds(string? list, string option) =>
        [.. (list ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => int.TryParse(s, out var v) && v >= 0 ? v : throw new CliException($"eval: --{option}: '{s}' is not a whole number ≥ 0"))];

    static object VersusReport(WinRateResult r) => new
    {
        win_rate = Math.Round(r.Overall.WinRate, 4),
        wins = r.Overall.Wins,
        ties = r.Overall.Ties,
        losses = r.Overall.Losses,
        sign_test_p = r.Overall.SignTestP,
        splits = r.PerSplit.ToDictionary(kv => kv.Key, kv => new { win_rate = Math.Round(kv.Value.WinRate, 4), wins = kv.Value.Wins, ties = kv.Value.Ties, losses = kv.Value.Losses }),
    };

    /// <summary>TinyScenes: greedy accuracy per held-out split (counter-prior apart) in a format, the format share, and for
    /// see-think answers the Language Shortcut Rate by both judges (the exact oracle, and the model itself as the start
    /// model judging its own descriptions, as at the start of a run) and the share of missing descriptions; wrong answers
    /// of a split to stderr.</summary>
    static int Visual(IVisualDomain domain, string dir, int perSplit, string? showWrong, ResponseFormat format, int evalSeed, string? judgeDir, string? itemsFile, int maxTokens)
    {
        using var model = ModelFamilies.Load(dir);
        using var judge = judgeDir is null ? null : ModelFamilies.Load(judgeDir);
        var cases = new VisionEvaluation(domain, perSplit, evalSeed, format, maxTokens, new ConsoleRunLog()).Cases(model, judge ?? model);
        if (itemsFile is not null) File.WriteAllLines(itemsFile, cases.Select(EvalItems.Line));
        foreach (var c in cases.Where(c => c.Split == showWrong && !c.Correct))
            Console.Error.WriteLine($"{c.Item.Truth} | {c.Item.Question} → {c.Response}   (expected {c.Item.Answer})");
        var inDistribution = cases.Where(c => !domain.IsApart(c.Split)).ToList();
        double Share(IEnumerable<VisionEvaluation.Case> of, Func<VisionEvaluation.Case, bool> f) => Math.Round(of.Average(c => f(c) ? 1.0 : 0.0), 4);
        double Lsr(IEnumerable<VisionEvaluation.Case> of, LsrJudge j) => Math.Round(ShortcutRate.Of([.. of.Select(c => c.By(j))]).Lsr, 4);
        var seeThink = format == ResponseFormat.SeeThink;
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            format = format.ToString(),
            eval_seed = evalSeed,
            splits = cases.GroupBy(c => c.Split).ToDictionary(g => g.Key, g => Share(g, c => c.Correct)),
            in_distribution = Share(inDistribution, c => c.Correct),
            counter_prior = Share(cases.Where(c => domain.IsApart(c.Split)), c => c.Correct),
            formatted = Share(cases, c => c.Formatted),
            description_missing = seeThink ? Share(cases, c => c.Description is null) : (double?)null,
            lsr_oracle = seeThink ? Lsr(inDistribution, LsrJudge.Oracle) : (double?)null,
            lsr_start_model = seeThink ? Lsr(inDistribution, LsrJudge.StartModel) : (double?)null,
            lsr_oracle_splits = seeThink ? cases.GroupBy(c => c.Split).ToDictionary(g => g.Key, g => Lsr(g, LsrJudge.Oracle)) : null,
            description_states_answer = seeThink ? Share(inDistribution, c => c.StatesAnswer) : (double?)null,
            items = cases.Count,
        }, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull }));
        return 0;
    }

    /// <summary>Per level of the family splits: items, greedy accuracy, pass@1 and pass@k at the sampling temperature, and the
    /// items the greedy answer gets wrong but a sample gets right (what RL can turn into greedy wins).</summary>
    public static object SampledReport(TinyTasksAccuracy acc, IReadOnlyList<(string Split, TinyTaskExample Item, int Right)> sampled, int k, double temperature = 1.0)
    {
        var every = acc.Answers.Zip(sampled, (a, s) => (a.Split, a.Item.Level, Greedy: a.Correct, s.Right)).ToList();
        var all = every.Where(r => !EvalSplits.IsOutOfDistribution(r.Split)).ToList();   // the headline items
        var rows = every.Where(r => r.Split != TinyTaskSplits.EasySplit).ToList();
        var flippable = all.Count(r => !r.Greedy && r.Right > 0);
        return new
        {
            k,
            temperature,
            // every headline split (not ood): were each such item won and none lost, the win rate against this model would be this
            greedy_wrong_sampled_right = flippable,
            greedy_wrong_sampled_right_share = Math.Round(flippable / (double)all.Count, 4),
            win_rate_if_these_flip = Math.Round(0.5 + flippable / (2.0 * all.Count), 4),
            // per split: the same count, to see which families have room
            splits = every.GroupBy(r => r.Split).ToDictionary(g => g.Key, g => g.Count(r => !r.Greedy && r.Right > 0)),
            levels = rows.GroupBy(r => r.Level).OrderBy(g => g.Key).ToDictionary(g => g.Key.ToString(), g => new
            {
                items = g.Count(),
                greedy = Math.Round(g.Average(r => r.Greedy ? 1.0 : 0.0), 4),
                pass_at_1 = Math.Round(g.Average(r => PassAtK.Estimate(k, r.Right, 1)), 4),
                pass_at_k = Math.Round(g.Average(r => PassAtK.Estimate(k, r.Right, k)), 4),
                greedy_wrong_sampled_right = g.Count(r => !r.Greedy && r.Right > 0),
            }),
        };
    }

    public static string Report(IPolicy model, TinyTasksAccuracy acc,
        IReadOnlyList<(string Split, TinyTaskExample Item, int Right)>? sampled = null, int k = 0, double temperature = 1.0,
        WinRateResult? versus = null)
    {
        var challenger = TinyTasksEvaluator.ChallengerSamples(model, 200, seed: 1);
        return JsonSerializer.Serialize(new
        {
            splits = acc.PerSplit.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 4)),
            overall = Math.Round(acc.Overall, 4),
            // family splits by difficulty level 1..6 (where self-play has room to improve)
            levels = acc.Answers.Where(a => a.Split != TinyTaskSplits.EasySplit).GroupBy(a => a.Item.Level).OrderBy(g => g.Key)
                .ToDictionary(g => g.Key.ToString(), g => Math.Round(g.Average(a => a.Correct ? 1.0 : 0.0), 4)),
            items = acc.Answers.Count,
            challenger_valid_frac = Math.Round(challenger.Average(c => c.Valid ? 1.0 : 0.0), 4),
            sampled = sampled is null ? null : SampledReport(acc, sampled, k, temperature),
            against = versus is null ? null : VersusReport(versus),
        }, new JsonSerializerOptions { WriteIndented = true, DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    }
}
