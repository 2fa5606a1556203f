// The live-update queue's policy, by hand: progress coalesced, metrics and samples batched per run, status never merged,
// order kept, bounded.
using WebLab.Web.Features.Experiments;
using WebLab.Web.Features.Experiments.Records;

namespace WebLab.Web.Tests.Features.Experiments;

public sealed class MailboxTests
{
    static MetricsUpdate Metrics(long run, params long[] ids) =>
        new(run, ids.Select(i => new MetricDto(i, i, "loss", 1.0 / i, DateTimeOffset.UnixEpoch)).ToList());

    static ProgressUpdate Progress(long run, long step) => new(run, step, 100, null, null);

    [Fact]
    public void Metrics_of_one_run_queued_back_to_back_join_one_update()
    {
        var box = new Mailbox(capacity: 10);
        box.Post(Metrics(1, 1, 2));
        box.Post(Metrics(1, 3));
        box.Post(Metrics(2, 4));                                            // another run: its own update
        var taken = box.TakeAll();
        Assert.Equal(2, taken.Count);
        Assert.Equal([1L, 2, 3], ((MetricsUpdate)taken[0]).Points.Select(p => p.Id));
        Assert.Equal([4L], ((MetricsUpdate)taken[1]).Points.Select(p => p.Id));
    }

    [Fact]
    public void A_newer_progress_replaces_the_queued_one_and_goes_after_the_points_before_it()
    {
        var box = new Mailbox(capacity: 10);
        box.Post(Progress(1, 1));
        box.Post(Metrics(1, 1));
        box.Post(Progress(1, 2));
        box.Post(Progress(2, 7));                                           // another run's progress is kept apart
        var taken = box.TakeAll();
        // queued: P(1,1) → [P(1,1), M] → [M, P(1,2)] → [M, P(1,2), P(2,7)]
        Assert.Collection(taken,
            u => Assert.IsType<MetricsUpdate>(u),
            u => Assert.Equal((1L, 2L), (u.ExperimentId, ((ProgressUpdate)u).Step)),
            u => Assert.Equal((2L, 7L), (u.ExperimentId, ((ProgressUpdate)u).Step)));
    }

    [Fact]
    public void Status_changes_are_never_merged_and_keep_their_place()
    {
        var box = new Mailbox(capacity: 10);
        box.Post(new StatusUpdate(1, ExperimentStatus.Running, null));
        box.Post(Metrics(1, 1));
        box.Post(new StatusUpdate(1, ExperimentStatus.Succeeded, null));
        box.Post(Metrics(1, 2));                                            // after a status: not joined with the first batch
        var taken = box.TakeAll();
        Assert.Equal(["Running", "1", "Succeeded", "2"], taken.Select(u => u switch
        {
            StatusUpdate s => s.Status.ToString(),
            MetricsUpdate m => string.Join(",", m.Points.Select(p => p.Id)),
            _ => "?",
        }));
    }

    [Fact]
    public void A_full_mailbox_refuses_what_it_cannot_merge()
    {
        var box = new Mailbox(capacity: 2);
        Assert.True(box.Post(new StatusUpdate(1, ExperimentStatus.Running, null)));
        Assert.True(box.Post(Metrics(1, 1)));
        Assert.True(box.Post(Metrics(1, 2)));                              // joins the queued batch: no room needed
        Assert.False(box.Post(new StatusUpdate(1, ExperimentStatus.Succeeded, null)));
        Assert.Equal(2, box.Count);
        box.TakeAll();
        Assert.True(box.Post(new StatusUpdate(1, ExperimentStatus.Succeeded, null)));
    }
}
