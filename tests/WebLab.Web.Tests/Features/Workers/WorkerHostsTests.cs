// The Workers page's grouping, by hand: Hangfire servers → worker hosts.
using WebLab.Web.Features.Workers;

namespace WebLab.Web.Tests.Features.Workers;

public sealed class WorkerHostsTests
{
    static readonly DateTime Now = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Servers_group_into_hosts_with_their_queues_slots_latest_beat_and_runs()
    {
        ServerRecord[] servers =
        [
            // one `weblab worker` host serving two queues (two servers), a second serving cpu, silent for 40 s; a web host's own
            new("worker:gpu1:4242:cuda0:3f2a", ["cuda0"], 1, Now.AddMinutes(-10), Now.AddSeconds(-3)),
            new("worker:gpu1:4242:cpu:9c1d", ["cpu"], 2, Now.AddMinutes(-9), Now.AddSeconds(-1)),
            new("worker:gpu2:77:cpu:aa00", ["cpu"], 1, Now.AddMinutes(-5), Now.AddSeconds(-40)),
            new("lab:cpu:0f0f0f", ["cpu"], 1, Now.AddMinutes(-20), null),
        ];
        var running = new Dictionary<string, IReadOnlyList<long>> { ["worker:gpu1:4242:cuda0:3f2a"] = [12], ["worker:gpu1:4242:cpu:9c1d"] = [15, 11] };

        var hosts = WorkerHosts.Group(servers, running, Now, TimeSpan.FromSeconds(30));

        Assert.Equal(["worker:gpu1:4242", "lab (web host)", "worker:gpu2:77"], hosts.Select(h => h.Host));   // live first, then by name
        var gpu1 = hosts[0];
        Assert.Equal(["cpu", "cuda0"], gpu1.Queues);
        Assert.Equal(3, gpu1.Slots);
        Assert.Equal(Now.AddMinutes(-10), gpu1.StartedAt);
        Assert.Equal(Now.AddSeconds(-1), gpu1.LastHeartbeat);
        Assert.Equal([11L, 12, 15], gpu1.Running);
        Assert.Equal((true, 4242, "gpu1"), (gpu1.OnItsOwn, gpu1.ProcessId, gpu1.Machine));
        Assert.False(hosts[1].Live);                                   // never beat: started 20 minutes ago
        Assert.Equal((false, (int?)null), (hosts[1].OnItsOwn, hosts[1].ProcessId));
        Assert.False(hosts[2].Live);                                   // 40 s silent, lost after 30
    }
}
