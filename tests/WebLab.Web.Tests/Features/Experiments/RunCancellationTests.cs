// A cancel that lands after a run is claimed (its row says Running) but before its token is registered is kept: the run
// stops at its first step boundary. Before, Cancel found no token, answered "not running here", and the run went on (a
// suite under load once saw a cancelled run still Running at step 978).
using WebLab.Web.Features.Experiments;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class RunCancellationTests
{
    [Fact]
    public void A_cancel_between_the_claim_and_the_registration_stops_the_run()
    {
        var c = new RunCancellation();
        Assert.False(c.Cancel(7));                                   // nothing claimed: not running here
        c.Claim(7);
        Assert.True(c.Cancel(7));                                    // claimed, not registered yet: kept
        using var cts = c.Register(7, CancellationToken.None);
        Assert.True(cts.IsCancellationRequested);
        c.Unregister(7, cts);
        c.Release(7);
        Assert.False(c.Cancel(7));
    }

    [Fact]
    public void A_registered_run_is_cancelled_at_once_and_a_claim_alone_cancels_nothing()
    {
        var c = new RunCancellation();
        c.Claim(3);
        var cts = c.Register(3, CancellationToken.None);
        Assert.False(cts.IsCancellationRequested);
        Assert.True(c.Cancel(3));
        Assert.True(cts.IsCancellationRequested);
        c.Unregister(3, cts);
        c.Release(3);
    }
}
