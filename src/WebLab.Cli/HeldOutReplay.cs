// Replays the Challenger queries a self-play run logged (its samples.jsonl export, every query when sampleEvery is 1)
// against a domain's held-out rule: what the guard of issue 25 is measured by. Pure over the lines, so it is tested by hand.
using System.Text.Json.Nodes;

namespace WebLab.Cli;

/// <param name="Queries">Challenger queries logged (first round and refills).</param>
/// <param name="HeldOut">Of those, held out by the domain's rule.</param>
/// <param name="EvaluationItems">Per evaluation seed asked for: queries that are exactly one of its items.</param>
/// <param name="SolverGroupsTrainedOnHeldOut">Solver groups (step, query) on a held-out query logged as trained.</param>
public sealed record HeldOutReplay(int Steps, int Queries, int HeldOut, IReadOnlyDictionary<int, int> EvaluationItems, int SolverGroupsTrainedOnHeldOut)
{
    public static HeldOutReplay Of(IEnumerable<string> jsonLines, Func<string, bool> isHeldOut, IReadOnlyDictionary<int, HashSet<string>> items)
    {
        var queries = new List<string>();
        var steps = new HashSet<long>();
        var trained = new HashSet<(long Step, int Query)>();
        foreach (var line in jsonLines.Where(l => l.Trim().Length > 0))
        {
            var o = JsonNode.Parse(line)!.AsObject();
            var step = (long)o["step"]!;
            steps.Add(step);
            switch ((string?)o["role"])
            {
                case "challenger":
                    queries.Add((string)o["completion"]!);
                    break;
                case "solver" when isHeldOut((string)o["prompt"]!) && !MarkedHeldOut(o):
                    trained.Add((step, (int)o["extra"]!["query"]!));
                    break;
            }
        }
        static bool MarkedHeldOut(JsonObject o) => o["extra"] is JsonObject extra && extra["heldOut"] is JsonValue v && v.GetValue<bool>();
        return new(steps.Count, queries.Count, queries.Count(isHeldOut), items.ToDictionary(kv => kv.Key, kv => queries.Count(kv.Value.Contains)), trained.Count);
    }
}
