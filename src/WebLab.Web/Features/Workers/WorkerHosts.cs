// What the Workers page shows: the hosts that serve the lab's device queues, from Hangfire's server records (each server
// beats into the shared storage). A `weblab worker` host runs one Hangfire server per queue it serves, named
// "worker:<machine>:<pid>:<queue>" (QueueWorker); a web host with local workers names its servers "<machine>:<queue>:<guid>".
// Pure: the page and GET /api/workers group the same records the same way.
namespace WebLab.Web.Features.Workers;

/// <summary>One Hangfire server as its storage records it.</summary>
public sealed record ServerRecord(string Name, IReadOnlyList<string> Queues, int WorkersCount, DateTime StartedAt, DateTime? Heartbeat);

/// <summary>One worker host: a `weblab worker` process, or a web host's local workers.</summary>
/// <param name="Host">"worker:&lt;machine&gt;:&lt;pid&gt;", or "&lt;machine&gt; (web host)".</param>
/// <param name="Queues">The device queues it serves (cpu, cuda0, …), sorted.</param>
/// <param name="Slots">Runs it takes at once, all queues together.</param>
/// <param name="LastHeartbeat">Its servers' latest beat (UTC).</param>
/// <param name="Live">Beat within the lost-after time.</param>
/// <param name="Running">The runs its servers execute now.</param>
/// <param name="Token">The worker token its last hello named (a worker host's); null without a hello.</param>
/// <param name="Admitted">A worker host's: its hello, with a token not revoked, came within the lost-after time, so the
/// lab hands runs to its queues (WebLab:Workers:RequireToken); null for a web host's own workers.</param>
public sealed record WorkerHostDto(string Host, string Machine, int? ProcessId, bool OnItsOwn, IReadOnlyList<string> Queues, int Slots,
    DateTime StartedAt, DateTime LastHeartbeat, bool Live, IReadOnlyList<long> Running,
    string? Token = null, IReadOnlyList<WorkerDevice>? Devices = null, string? Version = null, bool? Admitted = null);

/// <summary>A worker host's last hello, as the Workers page shows it.</summary>
public sealed record HelloInfo(string Token, bool Revoked, IReadOnlyList<WorkerDevice> Devices, string Version, DateTime LastSeen);

public static class WorkerHosts
{
    /// <summary>(host, machine, pid, on its own) of a server's name; Hangfire ids append ":&lt;guid&gt;" or more, which are ignored.</summary>
    public static (string Host, string Machine, int? ProcessId, bool OnItsOwn) HostOf(string serverName)
    {
        var parts = serverName.Split(':');
        if (parts.Length >= 3 && parts[0] == "worker" && int.TryParse(parts[2], out var pid))
            return ($"worker:{parts[1]}:{pid}", parts[1], pid, true);
        return ($"{parts[0]} (web host)", parts[0], null, false);
    }

    /// <summary>
    /// The servers grouped by host, live hosts first, then by name. <paramref name="runningByServer"/> names the runs each
    /// server executes now (its Processing jobs); a host beating within <paramref name="lostAfter"/> of <paramref name="now"/> is live;
    /// <paramref name="hellos"/> holds worker hosts' last hellos by host.
    /// </summary>
    public static IReadOnlyList<WorkerHostDto> Group(IEnumerable<ServerRecord> servers, IReadOnlyDictionary<string, IReadOnlyList<long>> runningByServer,
        DateTime now, TimeSpan lostAfter, IReadOnlyDictionary<string, HelloInfo>? hellos = null) =>
        [.. servers.GroupBy(s => HostOf(s.Name))
            .Select(g =>
            {
                var beat = g.Max(s => s.Heartbeat ?? s.StartedAt);
                var hello = hellos?.GetValueOrDefault(g.Key.Host);
                return new WorkerHostDto(g.Key.Host, g.Key.Machine, g.Key.ProcessId, g.Key.OnItsOwn,
                    [.. g.SelectMany(s => s.Queues).Distinct().Order(StringComparer.Ordinal)], g.Sum(s => s.WorkersCount),
                    g.Min(s => s.StartedAt), beat, now - beat < lostAfter,
                    [.. g.SelectMany(s => runningByServer.GetValueOrDefault(s.Name) ?? []).Order()],
                    hello?.Token, hello?.Devices, hello?.Version,
                    g.Key.OnItsOwn ? hello is not null && WorkerTokens.Admits(hello.Revoked, hello.LastSeen, now, lostAfter) : null);
            })
            .OrderByDescending(h => h.Live).ThenBy(h => h.Host, StringComparer.Ordinal)];
}
