// The notifier alone: publishing returns at once whatever a subscriber does; a hung or throwing subscriber is dropped and
// says why, and the healthy one still gets everything in order.
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;
using WebLab.Web.Tests.Infrastructure;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class ExperimentNotifierTests
{
    static readonly NotifierLimits Short = new(TimeSpan.FromMilliseconds(300), Capacity: 64);

    [Fact]
    public async Task Hung_and_throwing_subscribers_are_dropped_and_never_delay_the_publisher_or_a_healthy_one()
    {
        var notifier = new ExperimentNotifier(NullLogger<ExperimentNotifier>.Instance, Short);
        var never = new TaskCompletionSource();
        using var hung = notifier.Subscribe(7, _ => never.Task);
        using var throwing = notifier.Subscribe(null, _ => throw new InvalidOperationException("page is gone"));
        var got = new ConcurrentQueue<long>();
        using var healthy = notifier.Subscribe(7, u => { got.Enqueue(((ProgressUpdate)u).Step); return Task.CompletedTask; });

        var publishing = new Stopwatch();                                  // the time spent in Publish alone
        for (var step = 1; step <= 200; step++)
        {
            publishing.Start();
            notifier.Publish(new ProgressUpdate(7, step, 200, null, null));
            publishing.Stop();
            var last = step;                                               // let the healthy loop drain between bursts of 20
            if (step % 20 == 0) await Poll.UntilAsync(() => got.Contains(last), $"the healthy subscriber got step {last} while the hung one hangs");
        }
        // had Publish waited for the hung subscriber it would never have returned; 2 s is slack for a loaded machine
        Assert.True(publishing.Elapsed < TimeSpan.FromSeconds(2), $"publishing took {publishing.ElapsedMilliseconds} ms");

        await Poll.UntilAsync(() => got.Contains(200), "the healthy subscriber got the last progress");
        Assert.Equal(got.Order(), got);                                    // coalesced, never reordered
        await Poll.UntilAsync(() => hung.Dropped is not null && throwing.Dropped is not null, "both bad subscribers dropped");
        Assert.Equal("did not return within 0.3 s", hung.Dropped);
        Assert.Equal("threw InvalidOperationException: page is gone", throwing.Dropped);
        Assert.Null(healthy.Dropped);
        Assert.Equal(1, notifier.SubscriberCount);
    }

    [Fact]
    public async Task A_subscriber_that_falls_capacity_behind_is_dropped()
    {
        var notifier = new ExperimentNotifier(NullLogger<ExperimentNotifier>.Instance, new(TimeSpan.FromMinutes(1), Capacity: 4));
        var release = new TaskCompletionSource();
        using var slow = notifier.Subscribe(1, _ => release.Task);        // busy with the first update, within its timeout
        for (var i = 0; i < 10; i++) notifier.Publish(new StatusUpdate(1, ExperimentStatus.Running, null));
        await Poll.UntilAsync(() => slow.Dropped is not null, "the slow subscriber dropped");
        Assert.Equal("fell 4 updates behind", slow.Dropped);
        release.SetResult();
    }

    [Fact]
    public async Task Dispose_stops_delivery_without_calling_it_a_drop()
    {
        var notifier = new ExperimentNotifier(NullLogger<ExperimentNotifier>.Instance, Short);
        var got = 0;
        var s = notifier.Subscribe(1, _ => { Interlocked.Increment(ref got); return Task.CompletedTask; });
        notifier.Publish(new StatusUpdate(1, ExperimentStatus.Running, null));
        await Poll.UntilAsync(() => got == 1, "first update delivered");
        s.Dispose();
        notifier.Publish(new StatusUpdate(1, ExperimentStatus.Succeeded, null));
        Assert.Equal(0, notifier.SubscriberCount);
        Assert.Null(s.Dropped);
        Assert.Equal(1, got);
    }
}
